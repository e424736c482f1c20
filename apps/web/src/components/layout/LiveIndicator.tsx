import type { LiveStatus } from '../../api/types';
import { POLL_INTERVAL_MS } from '../../hooks/liveContext';

const LOOK: Record<LiveStatus, { label: string; dot: string; text: string; help: string }> = {
  live: {
    label: 'Live',
    dot: 'bg-emerald-500',
    text: 'text-emerald-700',
    help: 'Numbers update as soon as new orders, shipments or inquiries arrive.',
  },
  connecting: {
    label: 'Connecting',
    dot: 'bg-slate-400 animate-pulse',
    text: 'text-slate-600',
    help: 'Connecting to live updates…',
  },
  reconnecting: {
    label: 'Reconnecting',
    dot: 'bg-amber-500 animate-pulse',
    text: 'text-amber-800',
    help: `Live updates were interrupted; reconnecting. Meanwhile the numbers refresh every ${POLL_INTERVAL_MS / 1000} seconds.`,
  },
  polling: {
    label: 'Polling',
    dot: 'bg-slate-400',
    text: 'text-slate-600',
    help: `Live updates are unavailable; the numbers refresh every ${POLL_INTERVAL_MS / 1000} seconds.`,
  },
};

/** The header's live-updates badge. A status region, so changes are announced politely. */
export function LiveIndicator({ status }: { status: LiveStatus | null }) {
  if (!status) return null;
  const look = LOOK[status];
  return (
    <span
      role="status"
      data-testid="live-indicator"
      data-status={status}
      title={look.help}
      className={`inline-flex shrink-0 items-center gap-1.5 rounded-full border border-slate-200 bg-white px-2 py-0.5 text-xs font-medium ${look.text}`}
    >
      <span aria-hidden="true" className={`h-2 w-2 rounded-full ${look.dot}`} />
      {look.label}
      <span className="sr-only">: {look.help}</span>
    </span>
  );
}
