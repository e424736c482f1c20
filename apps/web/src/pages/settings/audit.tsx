import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/endpoints';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { LoadMore } from '../../components/ui/LoadMore';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { EmptyState, ErrorState } from '../../components/ui/States';
import { formatDateTime } from '../../lib/format';
import { hasRole, SettingsPage } from './SettingsNav';

export function AuditLogPage() {
  const { store } = useStore();
  const audit = useInfiniteQuery({
    queryKey: ['settings', 'audit', store.id],
    queryFn: ({ pageParam, signal }) => api.audit(pageParam, { storeId: store.id, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: hasRole(store.role, 'owner'),
  });
  const items = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <SettingsPage title="Audit log" role="owner">
      {() => (
        <Card title="Audit log" description="Changes to settings, API keys, the widget, the team and customer data, newest first.">
          {audit.isPending ? (
            <LoadingBlock className="h-40" />
          ) : audit.isError && items.length === 0 ? (
            <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
          ) : items.length === 0 ? (
            <EmptyState compact title="Nothing recorded yet" />
          ) : (
            <>
              <ol className="divide-y divide-slate-100">
                {items.map((event) => (
                  <li key={event.id} className="py-2.5">
                    <p className="break-words text-sm text-slate-900">
                      <span className="font-medium">{event.action}</span> · {event.target}
                    </p>
                    <p className="break-words text-xs text-slate-500">
                      <time dateTime={event.at}>{formatDateTime(event.at, store.timezone)}</time> · {event.actor}
                      {event.ip && ` · ${event.ip}`}
                    </p>
                  </li>
                ))}
              </ol>
              <LoadMore query={audit} shown={`${items.length} event${items.length === 1 ? '' : 's'}`} className="mt-3" />
            </>
          )}
        </Card>
      )}
    </SettingsPage>
  );
}

export default AuditLogPage;
