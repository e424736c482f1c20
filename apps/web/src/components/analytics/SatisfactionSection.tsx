import { useState } from 'react';
import type { RollingSatisfaction, SatisfactionDriver, SatisfactionMetrics } from '../../api/types';
import { useMetricDefinitions, useSatisfactionMetrics, useWISMOMetrics } from '../../hooks/useWISMOMetrics';
import { humanize } from '../../lib/format';
import { useFormat, type Formatters } from '../../lib/formatContext';
import { Chart, PALETTE, RATE_SCALE, SCORE5_SCALE } from '../charts/Chart';
import { Card } from '../ui/Card';
import { QueryView } from '../ui/QueryView';
import { EmptyState } from '../ui/States';
import type { Drill, WidgetProps } from './drill';
import { MetricCard } from './MetricCard';

const DRIVER_TABS = [
  { key: 'inquiryType', label: 'Inquiry type', param: 'inquiry_type' },
  { key: 'carrier', label: 'Carrier', param: 'carrier' },
  { key: 'orderStatus', label: 'Order status', param: 'order_status' },
] as const;

type DriverTab = (typeof DRIVER_TABS)[number];

/** "−0.42" -> a plain-language reading of the correlation. */
export function describeCorrelation(r: number | null): string {
  if (r === null) return 'Not enough rated, resolved inquiries to relate resolution time to ratings.';
  const strength = Math.abs(r) >= 0.5 ? 'strong' : Math.abs(r) >= 0.3 ? 'moderate' : Math.abs(r) >= 0.1 ? 'weak' : 'no clear';
  if (strength === 'no clear') return `Resolution time shows no clear link with ratings (r = ${r.toFixed(2)}).`;
  return r < 0
    ? `A ${strength} link: slower resolutions get lower ratings (r = ${r.toFixed(2)}).`
    : `A ${strength} positive link between resolution time and ratings (r = ${r.toFixed(2)}).`;
}

const noRatings = (
  <EmptyState title="No ratings in this period" compact>
    Ratings come from the short survey customers get after their question is answered.
  </EmptyState>
);

function DriversTable({ drivers, tab, fmt, onDrill }: { drivers: SatisfactionDriver[]; tab: DriverTab; fmt: Formatters; onDrill: (d: Drill) => void }) {
  if (drivers.length === 0) return <EmptyState title="No ratings to break down" compact />;
  const label = (key: string) => (tab.key === 'carrier' ? key : humanize(key));
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[420px] text-sm">
        <thead className="border-b border-slate-200 text-xs text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 text-left font-medium">{tab.label}</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Ratings</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">Score</th>
            <th scope="col" className="px-3 py-2 text-right font-medium">CSAT</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {drivers.map((d) => (
            <tr key={d.key}>
              <th scope="row" className="px-3 py-2 text-left font-medium">
                <button
                  type="button"
                  className="text-indigo-600 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                  onClick={() => onDrill({ kind: 'inquiries', title: `${tab.label}: ${label(d.key)}`, params: { [tab.param]: d.key } })}
                >
                  {label(d.key)}
                </button>
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{fmt.number(d.ratingCount)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{fmt.score(d.satisfactionScore)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{fmt.percent(d.csat)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The rolling 7- and 30-day satisfaction figures ending on the range's last day. */
export function RollingCard({ windows, end }: { windows: RollingSatisfaction[]; end: string }) {
  const fmt = useFormat();
  const previous = (v: number | null, show: (x: number | null) => string) => (v === null ? '' : ` (before: ${show(v)})`);
  return (
    <Card
      title="Rolling averages"
      description={`The last ${windows.map((w) => w.days).join(' and ')} days to ${fmt.bucketLong(end, 'day')}, against the days before them.`}
      headingId="rolling-satisfaction"
    >
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-[420px] text-sm">
          <thead className="border-b border-slate-200 text-xs text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2 text-left font-medium">Window</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Ratings</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Score</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">CSAT</th>
              <th scope="col" className="px-3 py-2 text-right font-medium">Effort</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {windows.map((w) => (
              <tr key={w.days}>
                <th scope="row" className="px-3 py-2 text-left font-medium">{`Last ${w.days} days`}</th>
                <td className="px-3 py-2 text-right tabular-nums">{fmt.number(w.ratingCount.value)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {fmt.score(w.satisfactionScore.value)}
                  <span className="text-xs text-slate-500">{previous(w.satisfactionScore.previous, fmt.score)}</span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {fmt.percent(w.csat.value)}
                  <span className="text-xs text-slate-500">{previous(w.csat.previous, (x) => fmt.percent(x))}</span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{fmt.score(w.customerEffortScore.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Card>
  );
}

function SatisfactionBody({ data, fmt, onDrill }: { data: SatisfactionMetrics; fmt: Formatters; onDrill: (d: Drill) => void }) {
  const [tab, setTab] = useState<DriverTab>(DRIVER_TABS[0]);
  const distribution = [1, 2, 3, 4, 5].map((rating) => ({
    rating,
    count: data.distribution.find((d) => d.rating === rating)?.count ?? 0,
  }));
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
      <Card title="Rating distribution" headingId="rating-distribution">
        <Chart
          kind="cartesian"
          title="Number of ratings for each score from 1 to 5"
          data={distribution}
          xKey="rating"
          series={[{ key: 'count', label: 'Ratings', color: PALETTE[2]!, type: 'bar' }]}
          rowLabel={(d) => `${d.rating} star${d.rating === 1 ? '' : 's'}`}
          formatX={(v) => `${v}★`}
          formatLeft={(v) => fmt.number(v)}
          height={220}
        />
      </Card>
      <Card title="Satisfaction trend" description="Mean rating (left) and CSAT (right)." headingId="satisfaction-trend">
        <Chart
          kind="cartesian"
          title="Satisfaction score and CSAT per period"
          data={data.series}
          xKey="date"
          series={[
            { key: 'satisfactionScore', label: 'Satisfaction score', color: PALETTE[0]! },
            { key: 'csat', label: 'CSAT', color: PALETTE[1]!, axis: 'right' },
          ]}
          rowLabel={(p) => fmt.bucketLong(p.date, data.groupBy)}
          formatX={(v) => fmt.bucket(v, data.groupBy)}
          formatLeft={(v) => fmt.score(v)}
          formatRight={(v) => fmt.percent(v, 0)}
          leftScale={SCORE5_SCALE}
          rightScale={RATE_SCALE}
          height={220}
          onSelect={(p) => onDrill({ kind: 'inquiries', title: fmt.bucketLong(p.date, data.groupBy), params: { date: p.date } })}
          selectLabel="Show inquiries"
        />
      </Card>
      <Card title="Resolution time vs rating" description={describeCorrelation(data.resolutionCorrelation)} headingId="resolution-buckets">
        {data.resolutionBuckets.length === 0 ? (
          <EmptyState title="No resolved, rated inquiries" compact />
        ) : (
          <Chart
            kind="cartesian"
            title="Mean satisfaction score by resolution time"
            data={data.resolutionBuckets}
            xKey="label"
            series={[{ key: 'satisfactionScore', label: 'Satisfaction score', color: PALETTE[5]!, type: 'bar' }]}
            rowLabel={(b) => `${b.label} (${fmt.number(b.count)} ratings)`}
            formatLeft={(v) => fmt.score(v)}
            leftScale={{ domain: [0, 5], ticks: [0, 1, 2, 3, 4, 5] }}
            height={220}
          />
        )}
      </Card>
      <RollingCard windows={[data.rolling7, data.rolling30]} end={data.range.end} />
      <Card
        title="Satisfaction drivers"
        headingId="drivers"
        actions={
          <div role="group" aria-label="Break down by" className="inline-flex rounded-lg bg-slate-100 p-0.5">
            {DRIVER_TABS.map((t) => (
              <button
                key={t.key}
                type="button"
                aria-pressed={tab.key === t.key}
                onClick={() => setTab(t)}
                className={`rounded-md px-2 py-0.5 text-xs font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${tab.key === t.key ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600'}`}
              >
                {t.label}
              </button>
            ))}
          </div>
        }
      >
        <DriversTable drivers={data.drivers[tab.key]} tab={tab} fmt={fmt} onDrill={onDrill} />
      </Card>
    </div>
  );
}

export function SatisfactionSection({ storeId, filters, onDrill }: WidgetProps) {
  const overview = useWISMOMetrics(storeId, filters);
  const query = useSatisfactionMetrics(storeId, filters);
  const definitions = useMetricDefinitions(storeId).data;
  const fmt = useFormat();
  const o = overview.data;
  return (
    <section aria-labelledby="satisfaction-heading" className="space-y-4">
      <h2 id="satisfaction-heading" className="text-lg font-semibold text-slate-900">
        Customer satisfaction
      </h2>
      <div className="grid grid-cols-2 gap-3 xl:grid-cols-4">
        <MetricCard metricKey="satisfactionScore" definition={definitions?.satisfactionScore} metric={o?.satisfactionScore} loading={!o && !overview.isError} />
        <MetricCard metricKey="csat" definition={definitions?.csat} metric={o?.csat} loading={!o && !overview.isError} />
        <MetricCard metricKey="customerEffortScore" definition={definitions?.customerEffortScore} metric={o?.customerEffortScore} loading={!o && !overview.isError} />
        <MetricCard
          metricKey="ratingCount"
          definition={definitions?.ratingCount}
          metric={query.data ? { value: query.data.ratingCount, previous: null, changePct: null } : undefined}
          loading={!query.data && !query.isError}
          hideChange
        />
      </div>
      <QueryView query={query} isEmpty={(d) => d.ratingCount === 0} empty={noRatings} errorTitle="Couldn’t load satisfaction">
        {(d) => <SatisfactionBody data={d} fmt={fmt} onDrill={onDrill} />}
      </QueryView>
    </section>
  );
}
