import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import { conversationsQuery, type ConversationFilters } from '../lib/conversationFilters';
import { usePollInterval } from './liveContext';
import { wismoKeys } from '../api/queries';

export const CONVERSATIONS_PAGE_SIZE = 25;

/** The store's conversations, newest first, cursor-paged ("Load more"). */
export function useConversations(storeId: string, filters: ConversationFilters) {
  const query = { ...conversationsQuery(filters), limit: CONVERSATIONS_PAGE_SIZE };
  return useInfiniteQuery({
    queryKey: wismoKeys.conversations(storeId, query),
    queryFn: ({ pageParam, signal }) => api.conversations({ ...query, cursor: pageParam }, { storeId, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

/** One conversation's transcript; idle without an id. */
export function useConversation(storeId: string, conversationId: string | undefined) {
  return useQuery({
    queryKey: wismoKeys.conversation(storeId, conversationId ?? ''),
    queryFn: ({ signal }) => api.conversation(conversationId ?? '', { storeId, signal }),
    enabled: Boolean(conversationId),
    refetchInterval: usePollInterval(),
  });
}
