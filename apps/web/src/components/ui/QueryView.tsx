import type { ReactNode } from 'react';
import { LoadingBlock } from './Skeleton';
import { EmptyState, ErrorState } from './States';

/** The part of a TanStack query result a view needs. */
export interface QueryLike<T> {
  data: T | undefined;
  error: unknown;
  isPending: boolean;
  isError: boolean;
  refetch: () => unknown;
}

interface QueryViewProps<T> {
  query: QueryLike<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  loading?: ReactNode;
  empty?: ReactNode;
  errorTitle?: string;
  compact?: boolean;
}

/** Loading skeleton, error with Retry, empty state, or the content: one place for all four. */
export function QueryView<T>({ query, children, isEmpty, loading, empty, errorTitle, compact }: QueryViewProps<T>) {
  if (query.isError && query.data === undefined) {
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} title={errorTitle} compact={compact} />;
  }
  if (query.isPending || query.data === undefined) return <>{loading ?? <LoadingBlock />}</>;
  if (isEmpty?.(query.data)) {
    return <>{empty ?? <EmptyState compact={compact}>Nothing to show for this period.</EmptyState>}</>;
  }
  return <>{children(query.data)}</>;
}
