import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../../api/client';
import type { Alert } from '../../api/types';
import { useStoreSearch } from '../../app/StoreContext';
import { useAcknowledgeAlert, useAlerts } from '../../hooks/useWISMOMetrics';
import { humanize } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';

const SEVERITY: Record<string, string> = {
  high: 'bg-rose-100 text-rose-800',
  medium: 'bg-amber-100 text-amber-800',
  low: 'bg-slate-100 text-slate-700',
};

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

/** Title and message of an alert from its payload (alerts of every kind carry different fields). */
export function describeAlert(alert: Alert): { title: string; message: string | null; orderNumber: string | null } {
  const p = alert.payload;
  const orderNumber = text(p.orderNumber);
  const rating = typeof p.rating === 'number' ? p.rating : null;
  const title =
    text(p.title) ??
    (alert.kind === 'low_satisfaction' && rating !== null
      ? `Rated ${rating} / 5${orderNumber ? ` on order ${orderNumber}` : ''}`
      : humanize(alert.kind));
  const message = text(p.message) ?? (text(p.feedbackExcerpt) ? `“${text(p.feedbackExcerpt)}”` : null);
  return { title, message, orderNumber };
}

function AlertItem({ alert, storeId }: { alert: Alert; storeId: string }) {
  const fmt = useFormat();
  const storeSearch = useStoreSearch();
  const ack = useAcknowledgeAlert(storeId);
  const { title, message, orderNumber } = describeAlert(alert);
  return (
    <li className="space-y-1 px-3 py-2.5" data-testid="alert-item">
      <div className="flex items-start justify-between gap-2">
        <p className="min-w-0 text-sm font-medium text-slate-900">{title}</p>
        <span className={`shrink-0 rounded px-1.5 py-0.5 text-[10px] font-medium uppercase tracking-wide ${SEVERITY[alert.severity] ?? SEVERITY.low}`}>
          {alert.severity}
        </span>
      </div>
      {message && <p className="break-words text-sm text-slate-600">{message}</p>}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
        <span>{fmt.dateTime(alert.createdAt)}</span>
        {orderNumber && (
          <Link to={`/orders/${encodeURIComponent(orderNumber)}/timeline${storeSearch}`} className="font-medium text-indigo-600 hover:underline">
            Order {orderNumber}
          </Link>
        )}
        <button
          type="button"
          onClick={() => ack.mutate(alert.id)}
          disabled={ack.isPending}
          className="ml-auto rounded border border-slate-300 bg-white px-2 py-0.5 font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-60"
        >
          {ack.isPending ? 'Acknowledging…' : 'Acknowledge'}
        </button>
      </div>
      {ack.isError && (
        <p role="alert" className="text-xs text-rose-700">
          Couldn’t acknowledge: {errorMessage(ack.error)}
        </p>
      )}
    </li>
  );
}

/** Header bell: the store's open alerts, each with Acknowledge. */
export function AlertsBell({ storeId }: { storeId: string }) {
  const query = useAlerts(storeId);
  const [open, setOpen] = useState(false);
  const [position, setPosition] = useState<{ top: number; left: number; width: number } | null>(null);
  const panelId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const alerts = query.data ?? [];
  const count = alerts.length;

  // The panel is fixed under the bell, kept inside the viewport wherever the header put the bell.
  useLayoutEffect(() => {
    if (!open) return;
    const place = () => {
      const rect = buttonRef.current?.getBoundingClientRect();
      if (!rect) return;
      const width = Math.min(384, window.innerWidth - 16);
      const left = Math.min(Math.max(8, rect.right - width), window.innerWidth - width - 8);
      setPosition({ top: rect.bottom + 8, left, width });
    };
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, true);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place, true);
    };
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent) => {
      if (rootRef.current && !rootRef.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const label = query.data === null ? 'Alerts (not available)' : count === 0 ? 'Alerts: none open' : `Alerts: ${count} open`;

  return (
    <div ref={rootRef} className="relative">
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        data-testid="alerts-bell"
        data-count={count}
        className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" className="h-5 w-5">
          <path
            strokeLinecap="round"
            strokeLinejoin="round"
            d="M14.857 17.082a23.848 23.848 0 0 0 5.454-1.31A8.967 8.967 0 0 1 18 9.75V9A6 6 0 0 0 6 9v.75a8.967 8.967 0 0 1-2.312 6.022c1.733.64 3.56 1.085 5.455 1.31m5.714 0a24.255 24.255 0 0 1-5.714 0m5.714 0a3 3 0 1 1-5.714 0"
          />
        </svg>
        {count > 0 && (
          <span aria-hidden="true" className="absolute -top-0.5 -right-0.5 min-w-[1.1rem] rounded-full bg-rose-600 px-1 text-center text-[10px] font-semibold leading-4 text-white">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && (
        <div
          id={panelId}
          role="region"
          aria-label="Alerts"
          style={position ? { top: position.top, left: position.left, width: position.width } : undefined}
          className="fixed top-14 right-2 z-40 max-h-[70vh] w-96 max-w-[calc(100vw-1rem)] overflow-auto rounded-xl border border-slate-200 bg-white shadow-xl"
        >
          <div className="border-b border-slate-200 px-3 py-2 text-sm font-semibold text-slate-900">Alerts</div>
          {query.isPending ? (
            <p className="px-3 py-4 text-sm text-slate-500">Loading…</p>
          ) : query.isError ? (
            <p role="alert" className="px-3 py-4 text-sm text-rose-700">
              Couldn’t load alerts: {errorMessage(query.error)}
            </p>
          ) : query.data === null ? (
            <p className="px-3 py-4 text-sm text-slate-500">Alerts aren’t available on this server yet.</p>
          ) : count === 0 ? (
            <p className="px-3 py-4 text-sm text-slate-500">No open alerts. Spikes in inquiries and low ratings show up here.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {alerts.map((alert) => (
                <AlertItem key={alert.id} alert={alert} storeId={storeId} />
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
