import { useStore } from '../../app/StoreContext';
import { HelpdeskCard } from '../../components/settings/HelpdeskCard';
import { QueryView } from '../../components/ui/QueryView';
import { EmptyState } from '../../components/ui/States';
import { useHelpdesks } from '../../hooks/useHelpdesks';
import { usePageTitle } from '../../hooks/usePageTitle';

const ADMIN_ROLES = new Set(['admin', 'owner']);

function HelpdeskList({ storeId }: { storeId: string }) {
  const query = useHelpdesks(storeId);
  return (
    <QueryView query={query} errorTitle="Couldn’t load the helpdesk connections">
      {(connections) => (
        <div className="grid gap-4 lg:grid-cols-2">
          {connections.map((c) => (
            <HelpdeskCard key={c.provider} storeId={storeId} connection={c} />
          ))}
        </div>
      )}
    </QueryView>
  );
}

export function HelpdeskSettingsPage() {
  usePageTitle('Helpdesks');
  const { store } = useStore();
  return (
    <div className="space-y-4">
      <header>
        <h1 className="text-xl font-semibold text-slate-900">Helpdesks</h1>
        <p className="text-sm text-slate-500">
          Tickets about an order become inquiries; satisfaction ratings given later attach to them.
        </p>
      </header>
      {ADMIN_ROLES.has(store.role) ? (
        <HelpdeskList storeId={store.id} />
      ) : (
        <EmptyState title="Admins only">Ask an admin or the owner of {store.name} to connect a helpdesk.</EmptyState>
      )}
    </div>
  );
}

export default HelpdeskSettingsPage;
