import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../../api/endpoints';
import type { CurrentStore, StoreUpdate } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { TimezoneSetting } from '../../components/settings/TimezoneChange';
import { Card } from '../../components/ui/Card';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { ErrorState } from '../../components/ui/States';
import { authKeys } from '../../api/queries';
import { FIELD, hasRole, SaveFooter, SettingsPage } from './SettingsNav';

/** Only the fields that differ from the saved store; an emptied domain is sent as null (cleared). */
export function storeChanges(saved: CurrentStore, form: { name: string; currency: string; domain: string }): StoreUpdate {
  const changes: StoreUpdate = {};
  if (form.name.trim() !== saved.name) changes.name = form.name.trim();
  if (form.currency.trim().toUpperCase() !== saved.currency) changes.currency = form.currency.trim().toUpperCase();
  const domain = form.domain.trim().toLowerCase() || null;
  if (domain !== (saved.domain ?? null)) changes.domain = domain;
  return changes;
}

function StoreForm({ saved, storeId }: { saved: CurrentStore; storeId: string }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ name: saved.name, currency: saved.currency, domain: saved.domain ?? '' });
  const changes = storeChanges(saved, form);
  const dirty = Object.keys(changes).length > 0;
  const save = useMutation({
    mutationFn: () => api.updateStore(changes, { storeId }),
    onSuccess: (store) => {
      queryClient.setQueryData(['settings', 'store', storeId], store);
      setForm({ name: store.name, currency: store.currency, domain: store.domain ?? '' });
      void queryClient.invalidateQueries({ queryKey: authKeys.me });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const field = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => {
      save.reset();
      setForm((f) => ({ ...f, [key]: e.target.value }));
    },
  });

  return (
    <form onSubmit={submit} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <label className="block text-sm font-medium text-slate-700">
          Store name
          <input required maxLength={200} {...field('name')} className={FIELD} />
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Currency
          <input
            required
            minLength={3}
            maxLength={3}
            pattern="[A-Za-z]{3}"
            aria-describedby="currency-help"
            {...field('currency')}
            className={`${FIELD} uppercase`}
          />
          <span id="currency-help" className="mt-1 block text-xs font-normal text-slate-500">
            ISO 4217 code, e.g. USD, EUR, GBP
          </span>
        </label>
        <label className="block text-sm font-medium text-slate-700">
          Shopify domain
          <input placeholder="your-shop.myshopify.com" aria-describedby="domain-help" {...field('domain')} className={FIELD} />
          <span id="domain-help" className="mt-1 block text-xs font-normal text-slate-500">
            Shopify webhooks are matched to this store by it. Leave empty if you do not use Shopify.
          </span>
        </label>
      </div>
      <SaveFooter save={save} label="Save changes" disabled={!dirty} />
    </form>
  );
}

export function StoreSettingsPage() {
  const { store } = useStore();
  const query = useQuery({
    queryKey: ['settings', 'store', store.id],
    queryFn: ({ signal }) => api.currentStore({ storeId: store.id, signal }),
    enabled: hasRole(store.role, 'admin'),
  });
  return (
    <SettingsPage title="Store settings" role="admin">
      {() => (
        <Card title="Store" description="How the store is named, how amounts are shown and which time zone its days follow.">
          {query.isPending ? (
            <LoadingBlock className="h-40" />
          ) : query.isError ? (
            <ErrorState error={query.error} onRetry={() => void query.refetch()} />
          ) : (
            <div className="space-y-6">
              <StoreForm key={query.data.id} saved={query.data} storeId={store.id} />
              <TimezoneSetting key={query.data.timezone} saved={query.data} storeId={store.id} />
            </div>
          )}
        </Card>
      )}
    </SettingsPage>
  );
}

export default StoreSettingsPage;
