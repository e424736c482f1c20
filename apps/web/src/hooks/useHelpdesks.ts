import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../api/endpoints';
import type { HelpdeskName } from '../api/types';

export const helpdeskKeys = {
  all: (storeId: string) => ['helpdesks', storeId] as const,
};

/** Zendesk and Gorgias: webhook URL, whether a secret is set, last delivery (admins). */
export function useHelpdesks(storeId: string) {
  return useQuery({
    queryKey: helpdeskKeys.all(storeId),
    queryFn: ({ signal }) => api.helpdesks({ storeId, signal }),
  });
}

/** Sets or rotates a helpdesk's secret; without one (Gorgias) the server generates it. */
export function useSetHelpdeskSecret(storeId: string, provider: HelpdeskName) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (secret: string | undefined) => api.setHelpdeskSecret(provider, secret, { storeId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: helpdeskKeys.all(storeId) }),
  });
}

export function useDisconnectHelpdesk(storeId: string, provider: HelpdeskName) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.disconnectHelpdesk(provider, { storeId }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: helpdeskKeys.all(storeId) }),
  });
}
