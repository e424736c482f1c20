import { useStore } from '../../app/StoreContext';
import { ShopifyConnectCard } from '../../components/integrations/ShopifyConnectCard';
import { HelpdeskCard } from '../../components/settings/HelpdeskCard';
import { TrackingCard } from '../../components/settings/TrackingCard';
import { QueryView } from '../../components/ui/QueryView';
import { useHelpdesks } from '../../hooks/useHelpdesks';
import { useTrackingSettings } from '../../hooks/useTracking';
import { SettingsPage } from './SettingsNav';

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

function Tracking({ storeId }: { storeId: string }) {
  const query = useTrackingSettings(storeId);
  return (
    <QueryView query={query} errorTitle="Couldn’t load the tracking webhooks">
      {(settings) => <TrackingCard storeId={storeId} settings={settings} />}
    </QueryView>
  );
}

/** Shopify (the app install and its history import), tracking (AfterShip, EasyPost) and the helpdesks. */
export function IntegrationsSettingsPage() {
  const { store } = useStore();
  return (
    <SettingsPage title="Integrations" role="admin">
      {() => (
        <div className="space-y-4">
          <ShopifyConnectCard storeId={store.id} />
          <Tracking storeId={store.id} />
          <p className="text-sm text-slate-500">
            Helpdesk tickets about an order become inquiries; satisfaction ratings given later attach to them.
          </p>
          <HelpdeskList storeId={store.id} />
        </div>
      )}
    </SettingsPage>
  );
}

export default IntegrationsSettingsPage;
