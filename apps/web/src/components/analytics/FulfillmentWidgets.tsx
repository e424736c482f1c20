import type { DurationStats, FulfillmentSeriesPoint } from '../../api/types';
import { useFulfillmentMetrics, useMetricDefinitions, useWISMOMetrics } from '../../hooks/useWISMOMetrics';
import { durationScale, humanize } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';
import { Chart, PALETTE, RATE_SCALE, type ChartSeries } from '../charts/Chart';
import { Card } from '../ui/Card';
import { QueryView } from '../ui/QueryView';
import { EmptyState, ErrorState } from '../ui/States';
import { CarrierTable } from './CarrierTable';
import type { WidgetProps } from './drill';
import { MetricCard } from './MetricCard';

const noShipments = (
  <EmptyState title="No shipments in this period" compact>
    Fulfillment metrics appear once orders ship and carriers report tracking events.
  </EmptyState>
);

export function FulfillmentOverview({ storeId, filters }: Omit<WidgetProps, 'onDrill'>) {
  const overview = useWISMOMetrics(storeId, filters);
  const fulfillment = useFulfillmentMetrics(storeId, filters);
  const definitions = useMetricDefinitions(storeId);
  const failed = [overview, fulfillment, definitions].find((q) => q.isError && !q.data);
  if (failed) return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} title="Couldn’t load the metrics" />;
  const o = overview.data;
  const f = fulfillment.data;
  return (
    <div className="grid grid-cols-2 gap-3 xl:grid-cols-4">
      <MetricCard metricKey="avgTimeToShipSeconds" definition={definitions.data?.avgTimeToShipSeconds} metric={o?.avgTimeToShipSeconds} loading={!o} />
      <MetricCard metricKey="onTimeDeliveryRate" definition={definitions.data?.onTimeDeliveryRate} metric={o?.onTimeDeliveryRate} loading={!o} />
      <MetricCard
        metricKey="avgTransitSeconds"
        definition={definitions.data?.avgTransitSeconds}
        metric={f ? { value: f.avgTransitSeconds, previous: null, changePct: null } : undefined}
        loading={!f}
        hideChange
      />
      <MetricCard metricKey="exceptionRate" definition={definitions.data?.exceptionRate} metric={o?.exceptionRate} loading={!o} />
    </div>
  );
}

export function CarrierCard({ storeId, filters, onDrill }: WidgetProps) {
  const query = useFulfillmentMetrics(storeId, filters);
  return (
    <Card title="Carrier performance" description="Sort by any column; select a carrier to see its shipments." headingId="carriers">
      <QueryView query={query} isEmpty={(d) => d.carriers.length === 0} empty={noShipments}>
        {(d) => <CarrierTable carriers={d.carriers} onDrill={onDrill} />}
      </QueryView>
    </Card>
  );
}

type StageRow = { stage: string } & DurationStats;

export function StageDurationsCard({ storeId, filters }: Omit<WidgetProps, 'onDrill'>) {
  const query = useFulfillmentMetrics(storeId, filters);
  const fmt = useFormat();
  return (
    <Card title="Stage durations" description="Order → shipped (processing), shipped → first scan (pickup), first scan → delivered (transit)." headingId="stages">
      <QueryView query={query} isEmpty={(d) => Object.values(d.stages).every((s) => !s.count)} empty={noShipments}>
        {(d) => {
          const rows: StageRow[] = [
            { stage: 'Processing', ...d.stages.processing },
            { stage: 'Pickup', ...d.stages.pickup },
            { stage: 'Transit', ...d.stages.transit },
          ];
          return (
            <Chart
              kind="cartesian"
              title="Median, mean and 90th percentile duration of each fulfillment stage"
              data={rows}
              xKey="stage"
              series={[
                { key: 'median', label: 'Median', color: PALETTE[1]!, type: 'bar' },
                { key: 'mean', label: 'Mean', color: PALETTE[0]!, type: 'bar' },
                { key: 'p90', label: '90th percentile', color: PALETTE[2]!, type: 'bar' },
              ]}
              rowLabel={(r) => `${r.stage} (${fmt.number(r.count)} shipments)`}
              formatLeft={(v) => fmt.duration(v)}
              leftScale={(max) => durationScale(max, fmt.locale)}
              height={240}
            />
          );
        }}
      </QueryView>
    </Card>
  );
}

export function ExceptionCausesCard({ storeId, filters, onDrill }: WidgetProps) {
  const query = useFulfillmentMetrics(storeId, filters);
  const fmt = useFormat();
  return (
    <Card title="Exception causes" description="Why shipments ran into trouble. Click to see them." headingId="exceptions">
      <QueryView
        query={query}
        isEmpty={(d) => d.exceptions.every((e) => e.count === 0)}
        empty={<EmptyState title="No exceptions in this period" compact>Every shipment moved without a reported problem.</EmptyState>}
      >
        {(d) => (
          <Chart
            kind="cartesian"
            horizontal
            title="Shipment exceptions by cause"
            data={d.exceptions}
            xKey="key"
            series={[{ key: 'count', label: 'Shipments', color: PALETTE[3]!, type: 'bar' }]}
            rowLabel={(e) => `${humanize(e.key)} (${fmt.percent(e.share)})`}
            formatX={humanize}
            formatLeft={(v) => fmt.number(v)}
            height={Math.max(160, d.exceptions.length * 40 + 40)}
            onSelect={(e) =>
              onDrill({ kind: 'shipments', title: `Exception: ${humanize(e.key)}`, params: { exception_reason: e.key } })
            }
            selectLabel="Show shipments"
          />
        )}
      </QueryView>
    </Card>
  );
}

const SHIP_SERIES: ChartSeries<FulfillmentSeriesPoint>[] = [
  { key: 'avgTimeToShipSeconds', label: 'Avg time to ship', color: PALETTE[0]! },
  { key: 'onTimeRate', label: 'On-time rate', color: PALETTE[1]!, axis: 'right' },
  { key: 'exceptionRate', label: 'Exception rate', color: PALETTE[3]!, axis: 'right', hidden: true },
];

export function TimeToShipTrendCard({ storeId, filters, onDrill }: WidgetProps) {
  const query = useFulfillmentMetrics(storeId, filters);
  const fmt = useFormat();
  return (
    <Card title="Time to ship" description="Average time to ship (left) and on-time delivery (right) per period." headingId="time-to-ship">
      <QueryView query={query} isEmpty={(d) => d.series.every((p) => !p.shipped && !p.delivered)} empty={noShipments}>
        {(d) => (
          <Chart
            kind="cartesian"
            title="Time to ship and on-time delivery rate per period"
            data={d.series}
            xKey="date"
            series={SHIP_SERIES}
            rowLabel={(p) => fmt.bucketLong(p.date, d.groupBy)}
            formatX={(v) => fmt.bucket(v, d.groupBy)}
            formatLeft={(v) => fmt.duration(v)}
            formatRight={(v) => fmt.percent(v, 0)}
            leftScale={(max) => durationScale(max, fmt.locale)}
            rightScale={RATE_SCALE}
            onSelect={(p) =>
              onDrill({ kind: 'shipments', title: `Shipments, ${fmt.bucketLong(p.date, d.groupBy)}`, params: { date: p.date } })
            }
            selectLabel="Show shipments"
          />
        )}
      </QueryView>
    </Card>
  );
}

export function ShipmentVolumeCard({ storeId, filters, onDrill }: WidgetProps) {
  const query = useFulfillmentMetrics(storeId, filters);
  const fmt = useFormat();
  return (
    <Card title="Shipments" description="Shipped and delivered per period." headingId="shipment-volume">
      <QueryView query={query} isEmpty={(d) => d.series.every((p) => !p.shipped && !p.delivered)} empty={noShipments}>
        {(d) => (
          <Chart
            kind="cartesian"
            title="Shipments shipped and delivered per period"
            data={d.series}
            xKey="date"
            series={[
              { key: 'shipped', label: 'Shipped', color: PALETTE[0]!, type: 'bar' },
              { key: 'delivered', label: 'Delivered', color: PALETTE[1]!, type: 'bar' },
            ]}
            rowLabel={(p) => fmt.bucketLong(p.date, d.groupBy)}
            formatX={(v) => fmt.bucket(v, d.groupBy)}
            formatLeft={(v) => fmt.number(v)}
            height={240}
            onSelect={(p) =>
              onDrill({ kind: 'shipments', title: `Shipments, ${fmt.bucketLong(p.date, d.groupBy)}`, params: { date: p.date } })
            }
            selectLabel="Show shipments"
          />
        )}
      </QueryView>
    </Card>
  );
}
