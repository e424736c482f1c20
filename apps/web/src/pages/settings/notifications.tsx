import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import { api } from '../../api/endpoints';
import type { AlertChannelName, AlertChannels, DigestFrequency, DigestSettings } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { ErrorState } from '../../components/ui/States';
import { usePageTitle } from '../../hooks/usePageTitle';
import { SettingsNav } from './SettingsNav';

const CHANNELS: { id: AlertChannelName; label: string }[] = [
  { id: 'webhook', label: 'Webhook' },
  { id: 'email', label: 'Email' },
  { id: 'slack', label: 'Slack' },
];
const FREQUENCIES: { id: DigestFrequency; label: string }[] = [
  { id: 'off', label: 'Off' },
  { id: 'daily', label: 'Daily (yesterday)' },
  { id: 'weekly', label: 'Weekly (Monday to Sunday)' },
  { id: 'monthly', label: 'Monthly' },
];
const HOURS = Array.from({ length: 24 }, (_, h) => h);
const button = 'rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50';

export function NotificationSettingsPage() {
  usePageTitle('Alerts & digests');
  const { store } = useStore();
  const admin = store.role === 'admin' || store.role === 'owner';
  return (
    <div className="mx-auto max-w-4xl space-y-4">
      <h1 className="mb-3 text-xl font-semibold text-slate-900">Settings</h1>
      <SettingsNav />
      <MyDigestCard />
      {admin && <AlertChannelsCard />}
    </div>
  );
}

export function MyDigestCard() {
  const { store } = useStore();
  const opts = { storeId: store.id };
  const key = ['settings', 'digest', store.id];
  const queryClient = useQueryClient();
  const digest = useQuery({ queryKey: key, queryFn: ({ signal }) => api.myDigest({ ...opts, signal }) });
  const save = useMutation({
    mutationFn: (body: { frequency: DigestFrequency; hour: number }) => api.setMyDigest(body, opts),
    onSuccess: (data) => queryClient.setQueryData(key, data),
  });
  return (
    <Card title="My digest" description="A summary email of this store's figures, insights and at-risk orders, with the PDF report attached.">
      {digest.isPending ? (
        <LoadingBlock className="h-24" />
      ) : digest.isError ? (
        <ErrorState error={digest.error} onRetry={() => void digest.refetch()} />
      ) : (
        <DigestForm current={digest.data} saving={save.isPending} error={save.isError ? errorMessage(save.error) : null} saved={save.isSuccess} onSave={(v) => save.mutate(v)} />
      )}
    </Card>
  );
}

function DigestForm({
  current,
  saving,
  error,
  saved,
  onSave,
}: {
  current: DigestSettings;
  saving: boolean;
  error: string | null;
  saved: boolean;
  onSave: (v: { frequency: DigestFrequency; hour: number }) => void;
}) {
  const id = useId();
  const [frequency, setFrequency] = useState<DigestFrequency>(current.frequency);
  const [hour, setHour] = useState(current.hour);
  useEffect(() => {
    setFrequency(current.frequency);
    setHour(current.hour);
  }, [current.frequency, current.hour]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave({ frequency, hour });
  };
  return (
    <form onSubmit={submit} className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor={`${id}-frequency`} className="block text-sm font-medium text-slate-700">
          How often
          <select id={`${id}-frequency`} value={frequency} onChange={(e) => setFrequency(e.target.value as DigestFrequency)} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
            {FREQUENCIES.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-hour`} className="block text-sm font-medium text-slate-700">
          At ({current.timezone})
          <select id={`${id}-hour`} value={hour} disabled={frequency === 'off'} onChange={(e) => setHour(Number(e.target.value))} className="mt-1 block rounded-md border border-slate-300 px-2 py-1.5 text-sm">
            {HOURS.map((h) => (
              <option key={h} value={h}>
                {`${String(h).padStart(2, '0')}:00`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={saving} className={button}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      <p className="text-xs text-slate-500">
        {current.nextSendAt ? `Next digest: ${new Date(current.nextSendAt).toLocaleString()}.` : 'No digest is scheduled.'}
        {current.lastSentAt && ` Last sent ${new Date(current.lastSentAt).toLocaleString()}.`}
      </p>
      {error && (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      )}
      {saved && !error && (
        <p role="status" className="text-sm text-emerald-700">
          Saved.
        </p>
      )}
    </form>
  );
}

export function AlertChannelsCard() {
  const { store } = useStore();
  const opts = { storeId: store.id };
  const key = ['settings', 'alert-channels', store.id];
  const queryClient = useQueryClient();
  const channels = useQuery({ queryKey: key, queryFn: ({ signal }) => api.alertChannels({ ...opts, signal }) });
  const save = useMutation({
    mutationFn: (body: Parameters<typeof api.setAlertChannels>[0]) => api.setAlertChannels(body, opts),
    onSuccess: (data) => queryClient.setQueryData(key, data),
  });
  return (
    <Card title="Alert channels" description="Where each kind of alert goes. Email goes to the store's admins and owners.">
      {channels.isPending ? (
        <LoadingBlock className="h-32" />
      ) : channels.isError ? (
        <ErrorState error={channels.error} onRetry={() => void channels.refetch()} />
      ) : (
        <ChannelsForm current={channels.data} saving={save.isPending} error={save.isError ? errorMessage(save.error) : null} onSave={(body) => save.mutate(body)} />
      )}
    </Card>
  );
}

function ChannelsForm({
  current,
  saving,
  error,
  onSave,
}: {
  current: AlertChannels;
  saving: boolean;
  error: string | null;
  onSave: (body: Parameters<typeof api.setAlertChannels>[0]) => void;
}) {
  const id = useId();
  const [slackUrl, setSlackUrl] = useState('');
  const [routes, setRoutes] = useState<Record<string, AlertChannelName[]>>(() => Object.fromEntries(current.kinds.map((k) => [k.kind, k.channels])));
  useEffect(() => setRoutes(Object.fromEntries(current.kinds.map((k) => [k.kind, k.channels]))), [current.kinds]);
  const toggle = (kind: string, channel: AlertChannelName, on: boolean) =>
    setRoutes((r) => ({ ...r, [kind]: on ? [...(r[kind] ?? []), channel] : (r[kind] ?? []).filter((c) => c !== channel) }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave({ routes, ...(slackUrl.trim() ? { slackWebhookUrl: slackUrl.trim() } : {}) });
    setSlackUrl('');
  };
  return (
    <form onSubmit={submit} className="space-y-4">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="py-1 font-normal">Alert</th>
            {CHANNELS.map((c) => (
              <th key={c.id} className="py-1 font-normal">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {current.kinds.map((k) => (
            <tr key={k.kind} className="border-t border-slate-100">
              <td className="py-2 text-slate-900">{k.label}</td>
              {CHANNELS.map((c) => (
                <td key={c.id} className="py-2">
                  <input
                    type="checkbox"
                    aria-label={`${k.label} by ${c.label}`}
                    checked={(routes[k.kind] ?? []).includes(c.id)}
                    onChange={(e) => toggle(k.kind, c.id, e.target.checked)}
                    className="h-4 w-4"
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">
        Webhook: {current.webhookConfigured ? 'set' : 'not set'} · Email to: {current.emailRecipients.join(', ') || 'nobody (no admin or owner)'}
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <label htmlFor={`${id}-slack`} className="block flex-1 text-sm font-medium text-slate-700">
          Slack incoming-webhook URL {current.slackConfigured && <span className="font-normal text-slate-500">(set: {current.slackUrlHint}; enter a new one to replace it)</span>}
          <input
            id={`${id}-slack`}
            type="url"
            value={slackUrl}
            onChange={(e) => setSlackUrl(e.target.value)}
            placeholder="https://hooks.slack.com/services/…"
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </label>
        {current.slackConfigured && (
          <button type="button" disabled={saving} onClick={() => onSave({ slackWebhookUrl: null })} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Remove Slack
          </button>
        )}
        <button type="submit" disabled={saving} className={button}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p role="alert" className="text-sm text-rose-700">
          {error}
        </p>
      )}
      <section aria-label="Recent deliveries">
        <h3 className="mb-1 text-sm font-medium text-slate-900">Recent email and Slack deliveries</h3>
        {current.recentDeliveries.length === 0 ? (
          <p className="text-sm text-slate-500">None yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100 text-sm">
            {current.recentDeliveries.map((d) => (
              <li key={`${d.alertId}-${d.channel}`} className="py-1.5">
                <span className="text-slate-900">{d.title}</span> · {d.channel} ·{' '}
                <span className={d.status === 'failed' ? 'text-rose-700' : d.status === 'pending' ? 'text-amber-700' : 'text-emerald-700'}>{d.status}</span>
                {d.lastError && <span className="text-slate-500"> ({d.lastError})</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
    </form>
  );
}

export default NotificationSettingsPage;
