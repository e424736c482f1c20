import { useState } from 'react';
import { Link } from 'react-router';
import type { AtRiskItem, AtRiskList } from '../../api/types';
import { useStore, useStoreSearch } from '../../app/StoreContext';
import { Card } from '../../components/ui/Card';
import { QueryView } from '../../components/ui/QueryView';
import { LoadingBlock } from '../../components/ui/Skeleton';
import { EmptyState } from '../../components/ui/States';
import { usePageTitle } from '../../hooks/usePageTitle';
import { AT_RISK_MAX, AT_RISK_PAGE } from '../../api/queries';
import { useAtRisk } from '../../hooks/useWISMOMetrics';
import { humanize } from '../../lib/format';
import { useFormat, type Formatters } from '../../lib/formatContext';

function riskTone(score: number): { bar: string; text: string; word: string } {
  if (score >= 0.4) return { bar: 'bg-rose-500', text: 'text-rose-700', word: 'High' };
  if (score >= 0.2) return { bar: 'bg-amber-500', text: 'text-amber-800', word: 'Elevated' };
  return { bar: 'bg-slate-400', text: 'text-slate-700', word: 'Moderate' };
}

function RiskScore({ score, fmt }: { score: number; fmt: Formatters }) {
  const tone = riskTone(score);
  return (
    <div className="flex min-w-[7rem] items-center gap-2" data-testid="risk-score" data-raw={score}>
      <span className={`w-10 text-right font-semibold tabular-nums ${tone.text}`}>{fmt.percent(score, 0)}</span>
      <span aria-hidden="true" className="h-1.5 w-16 overflow-hidden rounded-full bg-slate-100">
        <span className={`block h-full rounded-full ${tone.bar}`} style={{ width: `${Math.round(Math.min(1, score) * 100)}%` }} />
      </span>
      <span className="sr-only">{tone.word} risk</span>
    </div>
  );
}

function Summary({ data, fmt }: { data: AtRiskList; fmt: Formatters }) {
  return (
    <p className="text-sm text-slate-600" data-testid="at-risk-summary">
      {data.items.length} open {data.items.length === 1 ? 'order' : 'orders'} most likely to draw a “where is my
      order?” inquiry in the next {data.horizonDays} days, generated {fmt.dateTime(data.generatedAt)}.{' '}
      {data.method === 'learned' ? (
        <>
          Scores are learned from {fmt.number(data.trainedOn)} past orders of this store
          {data.baseRate !== null && <> (on average {fmt.percent(data.baseRate)} drew an inquiry)</>}.
        </>
      ) : (
        <>Scores are rule-based until the store has enough history to learn from.</>
      )}
    </p>
  );
}

function Row({ item, fmt, storeSearch }: { item: AtRiskItem; fmt: Formatters; storeSearch: string }) {
  return (
    <tr className="align-top" data-testid="at-risk-row">
      <td className="whitespace-nowrap px-3 py-2.5">
        <Link
          to={`/orders/${encodeURIComponent(item.orderNumber)}/timeline${storeSearch}`}
          className="font-medium text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {item.orderNumber}
        </Link>
        <div className="text-xs text-slate-500">Ordered {fmt.date(item.orderCreatedAt)}</div>
      </td>
      <td className="px-3 py-2.5">
        <RiskScore score={item.score} fmt={fmt} />
      </td>
      <td className="px-3 py-2.5">
        {item.reasons.length > 0 ? (
          <ul className="list-disc space-y-0.5 pl-4 text-slate-700">
            {item.reasons.map((reason, i) => (
              <li key={i}>{reason}</li>
            ))}
          </ul>
        ) : (
          <span className="text-slate-500">No single warning sign: similar orders often draw an inquiry</span>
        )}
      </td>
      <td className="whitespace-nowrap px-3 py-2.5">
        <span className="inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
          {humanize(item.status)}
        </span>
        <div className="mt-0.5 text-xs text-slate-500">{item.kind === 'shipment' ? 'Shipped' : 'Not shipped yet'}</div>
      </td>
      <td className="whitespace-nowrap px-3 py-2.5 text-slate-700">
        {item.carrier ?? '—'}
        {item.trackingNumber && <div className="font-mono text-xs text-slate-500">{item.trackingNumber}</div>}
      </td>
      <td className="whitespace-nowrap px-3 py-2.5 text-slate-600">
        {item.shippedAt ? fmt.date(item.shippedAt) : '—'}
        {item.originalEstimatedDelivery && (
          <div className="text-xs text-slate-500">Est. {fmt.date(item.originalEstimatedDelivery)}</div>
        )}
      </td>
    </tr>
  );
}

/** /analytics/wismo/at-risk — open orders ranked by how likely they are to draw an inquiry. */
export function AtRiskPage() {
  usePageTitle('At-risk orders');
  const { store } = useStore();
  const storeSearch = useStoreSearch();
  const fmt = useFormat();
  const [limit, setLimit] = useState(AT_RISK_PAGE);
  const query = useAtRisk(store.id, limit);

  return (
    <div className="space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">At-risk orders</h1>
        <p className="mt-0.5 text-sm text-slate-500">
          Reach out before the customer has to ask: late, stuck or unshipped orders, most at risk first.
        </p>
      </div>
      <Card title="Watchlist" headingId="at-risk-heading">
        <QueryView
          query={query}
          errorTitle="Couldn’t load the at-risk orders"
          loading={<LoadingBlock className="h-64" label="Scoring open orders…" />}
          isEmpty={(d) => d === null || d.items.length === 0}
          empty={
            query.data === null ? (
              <EmptyState title="At-risk scoring isn’t available yet">
                This server doesn’t provide the at-risk watchlist yet. It appears here once it does.
              </EmptyState>
            ) : (
              <EmptyState title="No orders at risk right now">
                Every open order is on track. New risks show up here as shipments stall or run late.
              </EmptyState>
            )
          }
        >
          {(data) =>
            data && (
              <div className="space-y-3">
                <Summary data={data} fmt={fmt} />
                <div className="relative overflow-x-auto rounded-lg border border-slate-200">
                  <table className="w-full min-w-[760px] text-left text-sm">
                    <caption className="sr-only">At-risk orders, highest risk first</caption>
                    <thead className="bg-slate-50 text-xs text-slate-500">
                      <tr>
                        <th scope="col" className="px-3 py-2 font-medium">Order</th>
                        <th scope="col" className="px-3 py-2 font-medium">Risk</th>
                        <th scope="col" className="px-3 py-2 font-medium">Why</th>
                        <th scope="col" className="px-3 py-2 font-medium">Status</th>
                        <th scope="col" className="px-3 py-2 font-medium">Carrier</th>
                        <th scope="col" className="px-3 py-2 font-medium">Shipped</th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-slate-100">
                      {data.items.map((item) => (
                        <Row key={`${item.kind}-${item.orderNumber}-${item.trackingNumber ?? ''}`} item={item} fmt={fmt} storeSearch={storeSearch} />
                      ))}
                    </tbody>
                  </table>
                </div>
                {data.items.length >= limit && limit < AT_RISK_MAX && (
                  <button
                    type="button"
                    onClick={() => setLimit((l) => Math.min(AT_RISK_MAX, l * 2))}
                    disabled={query.isFetching}
                    className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 disabled:opacity-50"
                  >
                    {query.isFetching ? 'Loading…' : 'Show more'}
                  </button>
                )}
              </div>
            )
          }
        </QueryView>
      </Card>
    </div>
  );
}

export default AtRiskPage;
