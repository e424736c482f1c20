import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import type { ApiKey } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { CopyField } from '../../components/ui/CopyButton';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { EmptyState, ErrorState } from '../../components/ui/States';
import { formatDateTime } from '../../lib/format';
import { FIELD, hasRole, PRIMARY_BUTTON, SettingsPage } from './SettingsNav';

function KeyRow({ apiKey, timeZone, onRevoke, revoking }: { apiKey: ApiKey; timeZone: string; onRevoke: () => void; revoking: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const revoked = apiKey.revokedAt !== null;
  return (
    <li className="flex flex-wrap items-center justify-between gap-2 py-3">
      <div className="min-w-0">
        <p className="truncate text-sm font-medium text-slate-900">
          {apiKey.name} <code className="ml-1 text-xs font-normal text-slate-500">{apiKey.prefix}…</code>
        </p>
        <p className="text-xs text-slate-500">
          Created {formatDateTime(apiKey.createdAt, timeZone)} · {apiKey.lastUsedAt ? `last used ${formatDateTime(apiKey.lastUsedAt, timeZone)}` : 'never used'}
          {revoked && <span className="text-rose-700"> · revoked {formatDateTime(apiKey.revokedAt, timeZone)}</span>}
        </p>
      </div>
      {!revoked &&
        (confirming ? (
          <div className="flex items-center gap-2">
            <button
              type="button"
              onClick={onRevoke}
              disabled={revoking}
              className="rounded-md bg-rose-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-rose-500 disabled:opacity-60"
            >
              Revoke now{' '}
              <span className="sr-only">{apiKey.name}</span>
            </button>
            <button type="button" onClick={() => setConfirming(false)} className="rounded-md px-2.5 py-1 text-sm text-slate-600 hover:bg-slate-100">
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} className="rounded-md px-2.5 py-1 text-sm text-rose-700 hover:bg-rose-50">
            Revoke{' '}
            <span className="sr-only">{apiKey.name}</span>
          </button>
        ))}
    </li>
  );
}

export function ApiKeysPage() {
  const { store } = useStore();
  const queryClient = useQueryClient();
  const key = ['settings', 'api-keys', store.id];
  const opts = { storeId: store.id };
  const keys = useQuery({ queryKey: key, queryFn: ({ signal }) => api.apiKeys({ ...opts, signal }), enabled: hasRole(store.role, 'admin') });
  const refresh = () => queryClient.invalidateQueries({ queryKey: key });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.createApiKey(name.trim(), opts),
    onSuccess: () => {
      setName('');
      void refresh();
    },
  });
  const revoke = useMutation({ mutationFn: (keyId: string) => api.revokeApiKey(keyId, opts), onSettled: refresh });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <SettingsPage title="API keys" role="admin">
      {() => (
        <>
          <Card title="Create an API key" description="Integrations send orders, shipments and inquiries with it, as an admin of this store.">
            <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-end">
              <label className="block flex-1 text-sm font-medium text-slate-700">
                Name
                <input required maxLength={200} placeholder="e.g. ERP sync" value={name} onChange={(e) => setName(e.target.value)} className={FIELD} />
              </label>
              <button type="submit" disabled={create.isPending} className={PRIMARY_BUTTON}>
                {create.isPending ? 'Creating…' : 'Create key'}
              </button>
            </form>
            {create.isError && (
              <p role="alert" className="mt-2 text-sm text-rose-700">
                {errorMessage(create.error)}
              </p>
            )}
            {create.data && (
              <div role="status" className="mt-3 space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3">
                <p className="text-sm font-medium text-amber-900">
                  Copy the key “{create.data.name}” now: it is shown only this once (only its hash is stored).
                </p>
                <CopyField value={create.data.key} what="the new API key" />
                <p className="text-xs text-amber-900">
                  Send it as <code>Authorization: Bearer &lt;key&gt;</code>.
                </p>
              </div>
            )}
          </Card>
          {revoke.isError && (
            <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-700">
              {errorMessage(revoke.error)}
            </p>
          )}
          <Card title="Keys">
            {keys.isPending ? (
              <LoadingBlock className="h-32" />
            ) : keys.isError ? (
              <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />
            ) : keys.data.length === 0 ? (
              <EmptyState compact title="No API keys yet" />
            ) : (
              <ul className="divide-y divide-slate-100">
                {keys.data.map((k) => (
                  <KeyRow
                    key={k.id}
                    apiKey={k}
                    timeZone={store.timezone}
                    revoking={revoke.isPending && revoke.variables === k.id}
                    onRevoke={() => revoke.mutate(k.id)}
                  />
                ))}
              </ul>
            )}
          </Card>
        </>
      )}
    </SettingsPage>
  );
}

export default ApiKeysPage;
