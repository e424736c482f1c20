import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '../../api/client';
import type { HelpdeskConnection } from '../../api/types';
import { useDisconnectHelpdesk, useSetHelpdeskSecret } from '../../hooks/useHelpdesks';
import { useFormat } from '../../lib/formatContext';
import { Card } from '../ui/Card';

const LABELS: Record<HelpdeskConnection['provider'], { name: string; help: string }> = {
  zendesk: {
    name: 'Zendesk',
    help: 'In Zendesk Admin Center, create a webhook to this URL (ticket created, comment added, status changed; a trigger for satisfaction ratings), then paste the signing secret Zendesk shows for it.',
  },
  gorgias: {
    name: 'Gorgias',
    help: 'In Gorgias, add an HTTP integration (POST, JSON) to this URL on ticket created and updated, with the header X-Wismo-Token set to the secret generated here.',
  },
};

const BUTTON =
  'rounded-md px-3 py-1.5 text-sm font-medium shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60';
const PRIMARY = `${BUTTON} bg-indigo-600 text-white hover:bg-indigo-700`;
const SECONDARY = `${BUTTON} border border-slate-300 bg-white text-slate-700 hover:bg-slate-50`;

function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button type="button" className={SECONDARY} onClick={() => void copy()} aria-label={label}>
      {copied ? 'Copied' : 'Copy'}
    </button>
  );
}

/** One helpdesk: the webhook URL to copy, the secret (set or rotate), connection status. */
export function HelpdeskCard({ storeId, connection }: { storeId: string; connection: HelpdeskConnection }) {
  const { provider } = connection;
  const { name, help } = LABELS[provider];
  const fmt = useFormat();
  const ids = { heading: useId(), url: useId(), secret: useId() };
  const [secret, setSecret] = useState('');
  const [shownSecret, setShownSecret] = useState<string | null>(null);
  const save = useSetHelpdeskSecret(storeId, provider);
  const disconnect = useDisconnectHelpdesk(storeId, provider);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const pasted = provider === 'zendesk' ? secret.trim() : undefined;
    save.mutate(pasted, {
      onSuccess: (result) => {
        setSecret('');
        setShownSecret(provider === 'gorgias' ? result.secret : null);
      },
    });
  };
  const error = save.error ?? disconnect.error;

  return (
    <Card
      headingId={ids.heading}
      title={name}
      description={
        connection.secretSet
          ? connection.lastDeliveryAt
            ? `Connected · last delivery ${fmt.dateTime(connection.lastDeliveryAt)} · ${fmt.number(connection.deliveriesLastDay)} in 24 h`
            : 'Connected · no delivery yet'
          : 'Not connected'
      }
    >
      <p className="mb-3 text-sm text-slate-600">{help}</p>
      <label htmlFor={ids.url} className="block text-sm font-medium text-slate-700">
        Webhook URL
      </label>
      <div className="mt-1 flex gap-2">
        <input
          id={ids.url}
          readOnly
          value={connection.webhookUrl}
          className="min-w-0 flex-1 rounded-md border border-slate-300 bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-800"
        />
        <CopyButton text={connection.webhookUrl} label={`Copy the ${name} webhook URL`} />
      </div>

      <form onSubmit={submit} className="mt-4 flex flex-wrap items-end gap-2">
        {provider === 'zendesk' ? (
          <div className="min-w-0 flex-1">
            <label htmlFor={ids.secret} className="block text-sm font-medium text-slate-700">
              Signing secret
            </label>
            <input
              id={ids.secret}
              type="password"
              autoComplete="off"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              minLength={8}
              required
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          </div>
        ) : null}
        <button type="submit" className={PRIMARY} disabled={save.isPending}>
          {provider === 'zendesk'
            ? connection.secretSet
              ? 'Replace secret'
              : 'Save secret'
            : connection.secretSet
              ? 'Rotate secret'
              : 'Generate secret'}
        </button>
        {connection.secretSet && (
          <button
            type="button"
            className={SECONDARY}
            disabled={disconnect.isPending}
            onClick={() => {
              setShownSecret(null);
              disconnect.mutate();
            }}
          >
            Disconnect
          </button>
        )}
      </form>

      {shownSecret && (
        <div role="status" className="mt-3 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
          <p className="font-medium">Copy this secret now: it is not shown again.</p>
          <div className="mt-2 flex gap-2">
            <code className="min-w-0 flex-1 break-all rounded bg-white px-2 py-1 font-mono text-xs">{shownSecret}</code>
            <CopyButton text={shownSecret} label={`Copy the ${name} secret`} />
          </div>
          <p className="mt-2">Send it in the header X-Wismo-Token of the HTTP integration.</p>
        </div>
      )}
      {error && (
        <p role="alert" className="mt-3 text-sm text-rose-700">
          {errorMessage(error)}
        </p>
      )}
    </Card>
  );
}
