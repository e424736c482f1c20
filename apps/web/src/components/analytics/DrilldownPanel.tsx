import { useEffect, useRef, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { InquiryRow, ShipmentRow } from '../../api/types';
import { useStoreSearch } from '../../app/StoreContext';
import { useInquiryDrilldown, useShipmentDrilldown } from '../../hooks/useWISMOMetrics';
import type { DashboardFilters } from '../../lib/filters';
import { humanize } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';
import { LoadMore } from '../ui/LoadMore';
import { LoadingBlock } from '../ui/Skeleton';
import { EmptyState, ErrorState } from '../ui/States';
import type { Drill } from './drill';

interface DrilldownPanelProps {
  storeId: string;
  filters: DashboardFilters;
  drill: Drill | null;
  onClose: () => void;
}

/** A modal side panel listing the inquiries or shipments behind a figure, cursor-paged. */
export function DrilldownPanel({ storeId, filters, drill, onClose }: DrilldownPanelProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (drill && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    } else if (!drill && dialog.open) {
      if (typeof dialog.close === 'function') dialog.close();
      else dialog.removeAttribute('open');
    }
  }, [drill]);

  return (
    <dialog
      ref={ref}
      aria-labelledby="drilldown-title"
      onClose={onClose}
      onClick={(e) => e.target === e.currentTarget && onClose()}
      className="fixed inset-y-0 right-0 left-auto m-0 h-full max-h-none w-full max-w-4xl bg-white p-0 shadow-2xl backdrop:bg-slate-900/40 sm:rounded-l-xl"
    >
      {drill && (
        <div className="flex h-full flex-col">
          <header className="flex items-start justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-5">
            <div>
              <p className="text-xs font-medium uppercase tracking-wide text-slate-500">
                {drill.kind === 'inquiries' ? 'Inquiries' : 'Shipments'} behind the figure
              </p>
              <h2 id="drilldown-title" className="text-lg font-semibold text-slate-900">
                {drill.title}
              </h2>
            </div>
            <button
              type="button"
              onClick={onClose}
              className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-600"
              aria-label="Close"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </header>
          <div className="flex-1 overflow-auto px-4 py-3 sm:px-5">
            {drill.kind === 'inquiries' ? (
              <InquiryRows storeId={storeId} filters={filters} drill={drill} />
            ) : (
              <ShipmentRows storeId={storeId} filters={filters} drill={drill} />
            )}
          </div>
        </div>
      )}
    </dialog>
  );
}

interface PagedProps {
  storeId: string;
  filters: DashboardFilters;
  drill: Drill;
}

function OrderLink({ orderNumber }: { orderNumber: string | null }) {
  const search = useStoreSearch();
  if (!orderNumber) return <span className="text-slate-500">—</span>;
  return (
    <Link
      to={`/orders/${encodeURIComponent(orderNumber)}/timeline${search}`}
      className="font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {orderNumber}
    </Link>
  );
}

interface PagedQuery<Row> {
  data: { pages: { items: Row[] }[] } | undefined;
  error: unknown;
  isError: boolean;
  isPending: boolean;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  refetch: () => unknown;
  fetchNextPage: () => unknown;
}

function Paged<Row>({
  query,
  headers,
  renderRow,
  noun,
}: {
  query: PagedQuery<Row>;
  headers: string[];
  renderRow: (row: Row) => ReactNode;
  noun: string;
}) {
  if (query.isError && !query.data) return <ErrorState error={query.error} onRetry={() => void query.refetch()} compact />;
  if (query.isPending) return <LoadingBlock className="h-48" label={`Loading ${noun}…`} />;
  const rows = query.data?.pages.flatMap((p) => p.items) ?? [];
  if (rows.length === 0) {
    return (
      <EmptyState title={`No ${noun} match this selection`} compact>
        Try a wider date range or fewer filters.
      </EmptyState>
    );
  }
  return (
    <div>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200">
        <table className="w-full min-w-[640px] text-left text-sm">
          <thead className="bg-slate-50 text-xs text-slate-500">
            <tr>
              {headers.map((h) => (
                <th key={h} scope="col" className="px-3 py-2 font-medium">
                  {h}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">{rows.map(renderRow)}</tbody>
        </table>
      </div>
      <LoadMore query={query} shown={`${rows.length} ${noun}`} className="mt-3" />
    </div>
  );
}

function Badge({ children, tone = 'slate' }: { children: ReactNode; tone?: 'slate' | 'amber' | 'emerald' | 'rose' }) {
  const cls = {
    slate: 'bg-slate-100 text-slate-700',
    amber: 'bg-amber-100 text-amber-800',
    emerald: 'bg-emerald-100 text-emerald-800',
    rose: 'bg-rose-100 text-rose-800',
  }[tone];
  return <span className={`inline-block rounded px-1.5 py-0.5 text-xs font-medium ${cls}`}>{children}</span>;
}

function InquiryRows({ storeId, filters, drill }: PagedProps) {
  const query = useInquiryDrilldown(storeId, filters, drill.params);
  const fmt = useFormat();
  return (
    <Paged<InquiryRow>
      query={query}
      noun="inquiries"
      headers={['When', 'Order', 'Type', 'Order status', 'Channel', 'Carrier', 'Outcome', 'Rating']}
      renderRow={(r) => (
        <tr key={r.id} className="align-top">
          <td className="whitespace-nowrap px-3 py-2 text-slate-600">{fmt.dateTime(r.createdAt)}</td>
          <td className="whitespace-nowrap px-3 py-2">
            <OrderLink orderNumber={r.orderNumber} />
          </td>
          <td className="whitespace-nowrap px-3 py-2">
            {humanize(r.inquiryType)} {r.isRepeat && <Badge tone="amber">Repeat</Badge>}
          </td>
          <td className="whitespace-nowrap px-3 py-2">{humanize(r.orderStatus)}</td>
          <td className="whitespace-nowrap px-3 py-2">{humanize(r.channel)}</td>
          <td className="whitespace-nowrap px-3 py-2">{r.carrier ?? '—'}</td>
          <td className="whitespace-nowrap px-3 py-2">
            {r.resolved ? <Badge tone="emerald">Resolved {fmt.duration(r.resolutionSeconds)}</Badge> : <Badge>Open</Badge>}
          </td>
          <td className="px-3 py-2 tabular-nums">{r.rating === null ? '—' : `${r.rating} / 5`}</td>
        </tr>
      )}
    />
  );
}

function ShipmentRows({ storeId, filters, drill }: PagedProps) {
  const query = useShipmentDrilldown(storeId, filters, drill.params);
  const fmt = useFormat();
  return (
    <Paged<ShipmentRow>
      query={query}
      noun="shipments"
      headers={['Order', 'Carrier', 'Tracking', 'Status', 'Shipped', 'Delivered', 'Estimate', 'Exception']}
      renderRow={(s) => (
        <tr key={s.id} className="align-top">
          <td className="whitespace-nowrap px-3 py-2">
            <OrderLink orderNumber={s.orderNumber} />
          </td>
          <td className="whitespace-nowrap px-3 py-2">{s.carrier}</td>
          <td className="px-3 py-2 font-mono text-xs">{s.trackingNumber}</td>
          <td className="whitespace-nowrap px-3 py-2">
            <Badge tone={s.status === 'delivered' ? 'emerald' : s.status === 'exception' || s.status === 'failed_attempt' ? 'rose' : 'slate'}>
              {humanize(s.status)}
            </Badge>
          </td>
          <td className="whitespace-nowrap px-3 py-2 text-slate-600">{fmt.dateTime(s.shippedAt)}</td>
          <td className="whitespace-nowrap px-3 py-2 text-slate-600">{fmt.dateTime(s.deliveredAt)}</td>
          <td className="whitespace-nowrap px-3 py-2 text-slate-600">
            {fmt.date(s.originalEstimatedDelivery ?? s.estimatedDelivery)}
          </td>
          <td className="whitespace-nowrap px-3 py-2">{s.exceptionReason ? humanize(s.exceptionReason) : '—'}</td>
        </tr>
      )}
    />
  );
}
