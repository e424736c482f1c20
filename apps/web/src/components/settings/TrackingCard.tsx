import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { TrackingProviderStatus, TrackingSettings } from '../../api/types';
import { useSetTrackingSecret } from '../../hooks/useTracking';
import { useFormat } from '../../lib/formatContext';
import { Card } from '../ui/Card';
import { CopyField } from '../ui/CopyButton';

const NAMES: Record<TrackingProviderStatus['provider'], string> = { aftership: 'AfterShip', easypost: 'EasyPost' };
const MIN_SECRET = 16;

function ProviderStatus({ status }: { status: TrackingProviderStatus }) {
  const fmt = useFormat();
  const name = NAMES[status.provider];
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <h3 className="text-sm font-semibold text-slate-800">{name}</h3>
      <p className="mt-1 text-xs text-slate-600">Webhook URL</p>
      <CopyField value={status.webhookUrl} what={`the ${name} webhook URL`} />
      <p className="mt-2 text-sm text-slate-600">
        {status.lastDeliveryAt ? `Last delivery ${fmt.dateTime(status.lastDeliveryAt)}` : 'No delivery yet'}
      </p>
      <dl className="mt-1 flex flex-wrap gap-x-4 text-sm" aria-label={`${name} deliveries in the last 24 hours`}>
        <div className="flex gap-1">
          <dt className="text-slate-500">Accepted</dt>
          <dd className="font-medium text-slate-800">{fmt.number(status.acceptedLastDay)}</dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-slate-500">Duplicates</dt>
          <dd className="font-medium text-slate-800">{fmt.number(status.duplicateLastDay)}</dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-slate-500">Rejected</dt>
          <dd className="font-medium text-slate-800">{fmt.number(status.rejectedLastDay)}</dd>
        </div>
      </dl>
      {status.lastError && (
        <p className="mt-1 text-sm text-rose-700">
          Last refusal{status.lastErrorAt ? ` (${fmt.dateTime(status.lastErrorAt)})` : ''}: {status.lastError}
        </p>
      )}
    </div>
  );
}

/** AfterShip and EasyPost: the webhook URL per provider, the shared secret, 24-hour counts. */
export function TrackingCard({ storeId, settings }: { storeId: string; settings: TrackingSettings }) {
  const ids = { heading: useId(), secret: useId() };
  const [secret, setSecret] = useState('');
  const save = useSetTrackingSecret(storeId);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(secret.trim(), { onSuccess: () => setSecret('') });
  };

  return (
    <Card
      headingId={ids.heading}
      title="Tracking (AfterShip, EasyPost)"
      description={settings.secretSet ? 'Secret set · counts cover the last 24 hours' : 'No secret set: deliveries are refused'}
    >
      <p className="mb-3 text-sm text-slate-600">
        Register each URL as a webhook with the provider. AfterShip shows the secret it signs with in its webhook
        settings; for EasyPost, choose a secret for the webhook. Both use the secret saved here.
      </p>
      <div className="grid gap-3 lg:grid-cols-2">
        {settings.providers.map((p) => (
          <ProviderStatus key={p.provider} status={p} />
        ))}
      </div>
      <form onSubmit={submit} className="mt-4 flex flex-wrap items-end gap-2">
        <div className="min-w-0 flex-1">
          <label htmlFor={ids.secret} className="block text-sm font-medium text-slate-700">
            Webhook secret
          </label>
          <input
            id={ids.secret}
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            minLength={MIN_SECRET}
            maxLength={255}
            required
            aria-describedby={`${ids.secret}-help`}
            className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
          <p id={`${ids.secret}-help`} className="mt-1 text-xs text-slate-500">
            At least {MIN_SECRET} characters. It is not shown again once saved.
          </p>
        </div>
        <button
          type="submit"
          disabled={save.isPending}
          className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60"
        >
          {settings.secretSet ? 'Replace secret' : 'Save secret'}
        </button>
      </form>
      {save.isSuccess && !save.isPending && (
        <p role="status" className="mt-3 text-sm text-emerald-700">
          Saved.
        </p>
      )}
      {save.error && (
        <p role="alert" className="mt-3 text-sm text-rose-700">
          {errorMessage(save.error)}
        </p>
      )}
    </Card>
  );
}
