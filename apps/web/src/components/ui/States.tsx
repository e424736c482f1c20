import type { ReactNode } from 'react';
import { errorMessage, isApiError } from '../../api/client';

export function EmptyState({
  title = 'No data yet',
  children,
  compact = false,
}: {
  title?: string;
  children?: ReactNode;
  compact?: boolean;
}) {
  return (
    <div
      data-testid="empty-state"
      className={`flex flex-col items-center justify-center rounded-lg border border-dashed border-slate-300 bg-slate-50/60 text-center ${compact ? 'px-4 py-6' : 'px-6 py-12'}`}
    >
      <svg aria-hidden="true" viewBox="0 0 24 24" className="mb-2 h-8 w-8 text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.5">
        <path strokeLinecap="round" strokeLinejoin="round" d="M3 13.5h4.5l1.5 3h6l1.5-3H21M3 13.5V18a1.5 1.5 0 0 0 1.5 1.5h15A1.5 1.5 0 0 0 21 18v-4.5M3 13.5 5.4 6A1.5 1.5 0 0 1 6.8 5h10.4a1.5 1.5 0 0 1 1.4 1l2.4 7.5" />
      </svg>
      <p className="text-sm font-medium text-slate-700">{title}</p>
      {children && <div className="mt-1 max-w-md text-sm text-slate-500">{children}</div>}
    </div>
  );
}

export function ErrorState({
  error,
  onRetry,
  title = 'Couldn’t load this',
  compact = false,
}: {
  error: unknown;
  onRetry?: () => void;
  title?: string;
  compact?: boolean;
}) {
  const status = isApiError(error) && error.status > 0 ? ` (${error.status})` : '';
  return (
    <div
      role="alert"
      data-testid="error-state"
      className={`flex flex-col items-center justify-center rounded-lg border border-rose-200 bg-rose-50 text-center ${compact ? 'px-4 py-6' : 'px-6 py-10'}`}
    >
      <p className="text-sm font-medium text-rose-800">
        {title}
        {status}
      </p>
      <p className="mt-1 max-w-md text-sm text-rose-700">{errorMessage(error)}</p>
      {onRetry && (
        <button
          type="button"
          onClick={onRetry}
          className="mt-3 rounded-md border border-rose-300 bg-white px-3 py-1.5 text-sm font-medium text-rose-800 shadow-sm hover:bg-rose-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-rose-600"
        >
          Retry
        </button>
      )}
    </div>
  );
}
