import { differenceInCalendarDays, parseISO } from 'date-fns';
import type { OrderTimeline as OrderTimelineData, TimelineEvent, TimelineEventStatus, TimelineEventType } from '../../api/types';
import { useStore } from '../../app/StoreContext';
import { useOrderTimeline } from '../../hooks/useWISMOMetrics';
import { humanize, localDateOf, todayInZone } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';
import { Card } from '../ui/Card';
import { QueryView } from '../ui/QueryView';
import { Skeleton } from '../ui/Skeleton';
import { EmptyState } from '../ui/States';

/* ---------- estimated vs actual delivery ---------- */

export type DeliveryVerdict = 'early' | 'on_time' | 'late' | 'expected' | 'overdue' | 'unknown';

export interface DeliveryComparison {
  verdict: DeliveryVerdict;
  /** Days after (positive) or before (negative) the original estimate; for open orders, days overdue. */
  days: number | null;
  /** Days the estimate moved between the original and the current one (positive = later). */
  estimateShift: number | null;
}

function dayDiff(later: string, earlier: string): number {
  return differenceInCalendarDays(parseISO(later), parseISO(earlier));
}

/**
 * Compares delivery with the original estimate (DESIGN.md 5: on time = delivered local
 * date on or before the original estimate), all in the store's local dates.
 */
export function compareDelivery(t: OrderTimelineData, timeZone: string, now: Date = new Date()): DeliveryComparison {
  const original = t.originalEstimatedDelivery ?? t.estimatedDelivery;
  const baseline = original ? localDateOf(original, timeZone) : null;
  const current = t.estimatedDelivery ? localDateOf(t.estimatedDelivery, timeZone) : null;
  const estimateShift = baseline && current ? dayDiff(current, baseline) : null;
  if (!baseline) return { verdict: 'unknown', days: null, estimateShift };
  if (t.deliveredAt) {
    const days = dayDiff(localDateOf(t.deliveredAt, timeZone), baseline);
    return { verdict: days < 0 ? 'early' : days === 0 ? 'on_time' : 'late', days, estimateShift };
  }
  const overdue = dayDiff(todayInZone(timeZone, now), current ?? baseline);
  return overdue > 0 ? { verdict: 'overdue', days: overdue, estimateShift } : { verdict: 'expected', days: null, estimateShift };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeDelivery(c: DeliveryComparison): string {
  switch (c.verdict) {
    case 'early':
      return `Delivered on time, ${plural(-(c.days ?? 0), 'day')} early`;
    case 'on_time':
      return 'Delivered on time';
    case 'late':
      return `Delivered ${plural(c.days ?? 0, 'day')} late`;
    case 'overdue':
      return `Overdue by ${plural(c.days ?? 0, 'day')}`;
    case 'expected':
      return 'On track';
    case 'unknown':
      return 'No delivery estimate';
  }
}

const VERDICT_CLASS: Record<DeliveryVerdict, string> = {
  early: 'bg-emerald-100 text-emerald-800',
  on_time: 'bg-emerald-100 text-emerald-800',
  late: 'bg-rose-100 text-rose-800',
  overdue: 'bg-rose-100 text-rose-800',
  expected: 'bg-indigo-100 text-indigo-800',
  unknown: 'bg-slate-100 text-slate-700',
};

/* ---------- events ---------- */

const STATUS_LABEL: Record<TimelineEventStatus, string> = {
  completed: 'Completed',
  in_progress: 'In progress',
  pending: 'Pending',
  exception: 'Exception',
};

const TYPE_LABEL: Record<TimelineEventType, string> = {
  order: 'Order',
  fulfillment: 'Fulfillment',
  tracking: 'Tracking',
  inquiry: 'Customer inquiry',
  delivery: 'Delivery',
};

function StatusIcon({ status }: { status: TimelineEventStatus }) {
  const common = 'flex h-8 w-8 shrink-0 items-center justify-center rounded-full ring-4 ring-white';
  switch (status) {
    case 'completed':
      return (
        <span className={`${common} bg-emerald-500 text-white`} data-status-icon="completed">
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
            <path fillRule="evenodd" d="M16.7 5.3a1 1 0 0 1 0 1.4l-8 8a1 1 0 0 1-1.4 0l-4-4a1 1 0 1 1 1.4-1.4l3.3 3.29 7.3-7.3a1 1 0 0 1 1.4 0Z" clipRule="evenodd" />
          </svg>
        </span>
      );
    case 'in_progress':
      return (
        <span className={`${common} bg-indigo-500 text-white`} data-status-icon="in_progress">
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
            <path d="M10 3a7 7 0 1 0 7 7h-2a5 5 0 1 1-5-5V3Z" />
            <circle cx="10" cy="10" r="2" />
          </svg>
        </span>
      );
    case 'pending':
      return (
        <span className={`${common} border-2 border-dashed border-slate-300 bg-white text-slate-400`} data-status-icon="pending">
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-3 w-3">
            <circle cx="10" cy="10" r="4" />
          </svg>
        </span>
      );
    case 'exception':
      return (
        <span className={`${common} bg-rose-500 text-white`} data-status-icon="exception">
          <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
            <path d="M9 4h2v8H9zM9 14h2v2H9z" />
          </svg>
        </span>
      );
  }
}

function InquiryIcon() {
  return (
    <span className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-amber-400 text-white ring-4 ring-white" data-status-icon="inquiry">
      <svg aria-hidden="true" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
        <path d="M3 5a2 2 0 0 1 2-2h10a2 2 0 0 1 2 2v7a2 2 0 0 1-2 2H9l-4 3v-3a2 2 0 0 1-2-2V5Z" />
      </svg>
    </span>
  );
}

function TimelineItem({ event, isLast }: { event: TimelineEvent; isLast: boolean }) {
  const fmt = useFormat();
  const isInquiry = event.type === 'inquiry';
  return (
    <li className="relative flex gap-3 pb-6 last:pb-0" data-testid="timeline-event" data-type={event.type} data-status={event.status}>
      {!isLast && <span aria-hidden="true" className="absolute top-8 left-4 -ml-px h-[calc(100%-2rem)] w-0.5 bg-slate-200" />}
      {isInquiry ? <InquiryIcon /> : <StatusIcon status={event.status} />}
      <div
        className={`min-w-0 flex-1 ${isInquiry ? 'rounded-lg border border-amber-200 bg-amber-50 px-3 py-2' : 'pt-1'}`}
      >
        <p className="flex flex-wrap items-baseline gap-x-2 text-xs font-medium uppercase tracking-wide text-slate-500">
          <span>{TYPE_LABEL[event.type] ?? humanize(event.type)}</span>
          <span className={event.status === 'exception' ? 'text-rose-600' : ''}>· {STATUS_LABEL[event.status] ?? humanize(event.status)}</span>
        </p>
        <h3 className="text-sm font-semibold text-slate-900">{event.title}</h3>
        {event.description && <p className="mt-0.5 text-sm text-slate-600">{event.description}</p>}
        <p className="mt-1 flex flex-wrap gap-x-3 text-xs text-slate-500">
          <time dateTime={event.timestamp}>{fmt.dateTime(event.timestamp)}</time>
          {event.location && <span>{event.location}</span>}
        </p>
      </div>
    </li>
  );
}

/* ---------- the view ---------- */

export function OrderTimelineView({ timeline, now }: { timeline: OrderTimelineData; now?: Date }) {
  const fmt = useFormat();
  const events = [...timeline.events].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp));
  const comparison = compareDelivery(timeline, fmt.timeZone, now);
  const inquiries = events.filter((e) => e.type === 'inquiry').length;
  const original = timeline.originalEstimatedDelivery ?? timeline.estimatedDelivery;

  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h1 className="text-xl font-semibold text-slate-900">Order {timeline.orderNumber}</h1>
        <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700" data-testid="order-status">
          {humanize(timeline.status)}
        </span>
        {timeline.customerName && <span className="text-sm text-slate-500">{timeline.customerName}</span>}
      </header>

      <dl className="grid grid-cols-2 gap-3 rounded-xl border border-slate-200 bg-white p-4 text-sm shadow-sm md:grid-cols-4" data-testid="delivery-summary">
        <div>
          <dt className="text-xs text-slate-500">Placed</dt>
          <dd className="font-medium text-slate-900">{fmt.dateTime(timeline.createdAt)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Original estimate</dt>
          <dd className="font-medium text-slate-900">{fmt.date(original)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Current estimate</dt>
          <dd className="font-medium text-slate-900">
            {fmt.date(timeline.estimatedDelivery)}
            {comparison.estimateShift !== null && comparison.estimateShift !== 0 && (
              <span className="ml-1 text-xs font-normal text-amber-700">
                ({comparison.estimateShift > 0 ? '+' : '−'}
                {plural(Math.abs(comparison.estimateShift), 'day')})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Delivered</dt>
          <dd className="font-medium text-slate-900">{timeline.deliveredAt ? fmt.dateTime(timeline.deliveredAt) : 'Not yet'}</dd>
        </div>
        <div className="col-span-2 md:col-span-4">
          <dt className="sr-only">Delivery</dt>
          <dd className="flex flex-wrap items-center gap-2">
            <span className={`rounded-md px-2 py-0.5 text-xs font-semibold ${VERDICT_CLASS[comparison.verdict]}`} data-testid="delivery-verdict">
              {describeDelivery(comparison)}
            </span>
            {inquiries > 0 && (
              <span className="text-xs text-amber-800">
                {inquiries === 1 ? '1 customer inquiry' : `${inquiries} customer inquiries`} about this order
              </span>
            )}
          </dd>
        </div>
      </dl>

      <Card title="Order journey" headingId="order-journey">
        {events.length === 0 ? (
          <EmptyState title="No events yet" compact>
            Events appear as the order is fulfilled and the carrier scans the parcel.
          </EmptyState>
        ) : (
          <ol aria-label={`Journey of order ${timeline.orderNumber}`}>
            {events.map((event, i) => (
              <TimelineItem key={event.id} event={event} isLast={i === events.length - 1} />
            ))}
          </ol>
        )}
      </Card>
    </div>
  );
}

function TimelineSkeleton() {
  return (
    <div role="status" className="space-y-4">
      <span className="sr-only">Loading the order…</span>
      <Skeleton className="h-7 w-48" />
      <Skeleton className="h-24 w-full" />
      <Skeleton className="h-72 w-full" />
    </div>
  );
}

/** The order's journey from purchase to delivery (brief 3.5). */
export function OrderTimeline({ orderNumber }: { orderNumber: string }) {
  const { store } = useStore();
  const query = useOrderTimeline(store.id, orderNumber);
  const notFound = query.isError && (query.error as { status?: number } | null)?.status === 404;
  if (notFound) {
    return (
      <EmptyState title={`Order ${orderNumber} wasn’t found`}>
        Check the order number, or switch to the store it belongs to.
      </EmptyState>
    );
  }
  return (
    <QueryView query={query} loading={<TimelineSkeleton />} errorTitle="Couldn’t load this order">
      {(timeline) => <OrderTimelineView timeline={timeline} />}
    </QueryView>
  );
}
