import type { Breakdown, GroupBy, InquirySeriesPoint, InquiryTrends } from '../../api/types';
import { useInquiryTrends } from '../../hooks/useWISMOMetrics';
import { humanize } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';
import { MIN_ORDERS_FOR_RATE, readableRates } from '../../lib/metrics';
import { Chart, PALETTE, RATE_SCALE, type ChartSeries } from '../charts/Chart';
import { Card } from '../ui/Card';
import { QueryView } from '../ui/QueryView';
import { EmptyState } from '../ui/States';
import type { WidgetProps } from './drill';
import { PeakHoursHeatmap } from './PeakHoursHeatmap';

const hasInquiries = (t: InquiryTrends) => t.series.some((p) => p.inquiries > 0 || p.orders > 0);

const TREND_SERIES: ChartSeries<InquirySeriesPoint>[] = [
  { key: 'inquiries', label: 'Inquiries', color: PALETTE[0]! },
  { key: 'orders', label: 'Orders', color: PALETTE[1]! },
  { key: 'repeatInquiries', label: 'Repeat inquiries', color: PALETTE[2]!, hidden: true },
  { key: 'resolved', label: 'Resolved', color: PALETTE[4]!, hidden: true },
];

export interface InquiryTrendsChartProps {
  data: InquirySeriesPoint[];
  groupBy: GroupBy;
  onSelect?: (point: InquirySeriesPoint) => void;
  series?: ChartSeries<InquirySeriesPoint>[];
}

/** Inquiries vs orders over time, with legend toggles; a click shows that bucket's inquiries. */
export function InquiryTrendsChart({ data, groupBy, onSelect, series = TREND_SERIES }: InquiryTrendsChartProps) {
  const fmt = useFormat();
  return (
    <Chart
      kind="cartesian"
      title="Order inquiry trends: inquiries and orders per period"
      data={data}
      xKey="date"
      series={series}
      rowLabel={(p) => fmt.bucketLong(p.date, groupBy)}
      formatX={(d) => fmt.bucket(d, groupBy)}
      formatLeft={(v) => fmt.number(v)}
      onSelect={onSelect}
      selectLabel="Show inquiries"
      height={320}
    />
  );
}

function emptyText(what: string) {
  return (
    <EmptyState title={`No ${what} in this period`} compact>
      Inquiries appear here once customers ask about their orders.
    </EmptyState>
  );
}

export function InquiryTrendsCard({ storeId, filters, onDrill, className = '' }: WidgetProps & { className?: string }) {
  const query = useInquiryTrends(storeId, filters);
  const fmt = useFormat();
  return (
    <Card
      title="Order inquiry trends"
      description="Inquiries vs orders. Click a point to see its inquiries."
      className={className}
      headingId="inquiry-trends"
    >
      <QueryView query={query} isEmpty={(d) => !hasInquiries(d)} empty={emptyText('orders or inquiries')}>
        {(d) => (
          <InquiryTrendsChart
            data={d.series}
            groupBy={d.groupBy}
            onSelect={(p) =>
              onDrill({
                kind: 'inquiries',
                title: fmt.bucketLong(p.date, d.groupBy),
                params: { date: p.date },
              })
            }
          />
        )}
      </QueryView>
    </Card>
  );
}

export function InquiryRateCard({ storeId, filters, onDrill }: WidgetProps) {
  const query = useInquiryTrends(storeId, filters);
  const fmt = useFormat();
  return (
    <Card
      title="Inquiry rate"
      description={`Inquiries per order in each period; periods with fewer than ${MIN_ORDERS_FOR_RATE} orders are left out.`}
      headingId="inquiry-rate"
    >
      <QueryView query={query} isEmpty={(d) => !readableRates(d.series).some((p) => p.inquiryRate !== null)} empty={emptyText('orders')}>
        {(d) => (
          <Chart
            kind="cartesian"
            title="Inquiry rate per period"
            data={readableRates(d.series)}
            xKey="date"
            series={[{ key: 'inquiryRate', label: `Inquiry rate (periods with ${MIN_ORDERS_FOR_RATE}+ orders)`, color: PALETTE[3]! }]}
            rowLabel={(p) =>
              p.orders < MIN_ORDERS_FOR_RATE
                ? `${fmt.bucketLong(p.date, d.groupBy)} (${fmt.number(p.orders)} orders: too few for a rate)`
                : fmt.bucketLong(p.date, d.groupBy)
            }
            formatX={(v) => fmt.bucket(v, d.groupBy)}
            formatLeft={(v) => fmt.percent(v, 0)}
            // No inquiry at all: a 0-100% axis rather than the chart library's 0-4 guess.
            leftScale={(max) => (max > 0 ? {} : RATE_SCALE)}
            height={220}
            onSelect={(p) => onDrill({ kind: 'inquiries', title: fmt.bucketLong(p.date, d.groupBy), params: { date: p.date } })}
            selectLabel="Show inquiries"
          />
        )}
      </QueryView>
    </Card>
  );
}

interface BreakdownCardProps extends WidgetProps {
  field: 'byType' | 'byOrderStatus' | 'byChannel' | 'byExceptionReason';
  variant?: 'bar' | 'pie';
}

const BREAKDOWNS = {
  byType: { title: 'Inquiry types', param: 'inquiry_type', label: 'Inquiry type' },
  byOrderStatus: { title: 'Order status at inquiry', param: 'order_status', label: 'Order status' },
  byChannel: { title: 'Channels', param: 'channel', label: 'Channel' },
  byExceptionReason: { title: 'Exception causes at inquiry', param: 'exception_reason', label: 'Exception cause' },
} as const;

/** Inquiries by type, order status, channel or exception cause, as bars or a pie; a click shows those inquiries. */
export function BreakdownCard({ storeId, filters, onDrill, field, variant = 'bar' }: BreakdownCardProps) {
  const query = useInquiryTrends(storeId, filters);
  const fmt = useFormat();
  const meta = BREAKDOWNS[field];
  const select = (b: Breakdown) =>
    onDrill({ kind: 'inquiries', title: `${meta.label}: ${humanize(b.key)}`, params: { [meta.param]: b.key } });

  return (
    <Card title={meta.title} description="Click to see the inquiries." headingId={`breakdown-${field}`}>
      <QueryView query={query} isEmpty={(d) => d[field].every((b) => b.count === 0)} empty={emptyText('inquiries')}>
        {(d) =>
          variant === 'pie' ? (
            <Chart
              kind="pie"
              title={`${meta.title}: share of inquiries`}
              data={d[field]}
              valueKey="count"
              rowLabel={(b) => humanize(b.key)}
              formatValue={(v) => fmt.number(v)}
              legendDetail={(b) => fmt.percent(b.share)}
              onSelect={select}
            />
          ) : (
            <Chart
              kind="cartesian"
              horizontal
              title={`${meta.title}: inquiries per category`}
              data={d[field]}
              xKey="key"
              series={[{ key: 'count', label: 'Inquiries', color: PALETTE[0]!, type: 'bar' }]}
              rowLabel={(b) => `${humanize(b.key)} (${fmt.percent(b.share)})`}
              formatX={humanize}
              formatLeft={(v) => fmt.number(v)}
              height={Math.max(160, d[field].length * 40 + 40)}
              onSelect={select}
              selectLabel="Show inquiries"
            />
          )
        }
      </QueryView>
    </Card>
  );
}

export function PeakHoursCard({ storeId, filters, onDrill }: WidgetProps) {
  const query = useInquiryTrends(storeId, filters);
  const fmt = useFormat();
  return (
    <Card
      title="Peak inquiry times"
      description={`Inquiries by weekday and hour (${fmt.timeZone}). Select a cell to see its inquiries.`}
      headingId="peak-hours"
    >
      <QueryView query={query} isEmpty={(d) => d.peakHours.every((c) => c.count === 0)} empty={emptyText('inquiries')}>
        {(d) => (
          <PeakHoursHeatmap
            cells={d.peakHours}
            onSelect={(weekday, hour, label) =>
              onDrill({ kind: 'inquiries', title: label, params: { weekday, hour } })
            }
          />
        )}
      </QueryView>
    </Card>
  );
}
