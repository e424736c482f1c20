import { ErrorState } from './States';

/** The footer of a cursor-paged list: how many rows are shown, "Load more", and its error. */
export interface PagedFooterQuery {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => unknown;
}

export function LoadMore({ query, shown, className = '' }: { query: PagedFooterQuery; shown: string; className?: string }) {
  return (
    <>
      <div className={`flex items-center justify-between gap-3 text-sm text-slate-500 ${className}`}>
        <span aria-live="polite">Showing {shown}</span>
        {query.hasNextPage && (
          <button
            type="button"
            onClick={() => void query.fetchNextPage()}
            disabled={query.isFetchingNextPage}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50"
          >
            {query.isFetchingNextPage ? 'Loading…' : 'Load more'}
          </button>
        )}
      </div>
      {query.isFetchNextPageError && <ErrorState error={query.error} onRetry={() => void query.fetchNextPage()} compact />}
    </>
  );
}
