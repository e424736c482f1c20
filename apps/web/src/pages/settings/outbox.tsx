import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { EmptyState, ErrorState } from '../../components/ui/States';
import { usePageTitle } from '../../hooks/usePageTitle';
import { NotAllowed, SettingsNav } from './SettingsNav';

export function OutboxPage() {
  usePageTitle('Outbox');
  const { store } = useStore();
  const allowed = store.role === 'admin' || store.role === 'owner';
  const outbox = useInfiniteQuery({
    queryKey: ['settings', 'outbox', store.id],
    queryFn: ({ pageParam, signal }) => api.outbox(pageParam, { storeId: store.id, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: allowed,
  });
  const items = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const smtp = outbox.data?.pages[0]?.smtpConfigured;

  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Settings</h1>
      <SettingsNav />
      {!allowed ? (
        <NotAllowed role="admin" />
      ) : (
        <Card
          title="Outbox"
          description={
            smtp
              ? 'Mail the SMTP server did not accept (with the reason).'
              : 'No mail server is configured (WISMO_SMTP_URL), so mail is kept here instead of being sent.'
          }
        >
          {outbox.isPending ? (
            <LoadingBlock className="h-32" />
          ) : outbox.isError ? (
            <ErrorState error={outbox.error} onRetry={() => void outbox.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState compact title="The outbox is empty" />
          ) : (
            <ul className="divide-y divide-slate-100">
              {items.map((m) => (
                <li key={m.id} className="py-3">
                  <p className="text-sm font-medium text-slate-900">{m.subject}</p>
                  <p className="text-xs text-slate-500">
                    to {m.recipient} · {new Date(m.createdAt).toLocaleString()}
                    {m.error && <span className="text-rose-700"> · not sent: {m.error}</span>}
                  </p>
                  {m.textBody === null ? (
                    <p className="mt-1 text-xs italic text-slate-500">Holds an invitation link: only owners can read it.</p>
                  ) : (
                    <pre className="mt-1 whitespace-pre-wrap break-all rounded bg-slate-50 p-2 text-xs text-slate-700">{m.textBody}</pre>
                  )}
                </li>
              ))}
            </ul>
          )}
          {outbox.hasNextPage && (
            <button type="button" onClick={() => void outbox.fetchNextPage()} disabled={outbox.isFetchingNextPage} className="mt-3 rounded-md border border-slate-300 px-3 py-1.5 text-sm">
              {outbox.isFetchingNextPage ? 'Loading…' : 'Load more'}
            </button>
          )}
        </Card>
      )}
    </div>
  );
}

export default OutboxPage;
