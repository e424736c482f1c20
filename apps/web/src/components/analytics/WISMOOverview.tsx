import type { Overview } from '../../api/types';
import { useMetricDefinitions, useWISMOMetrics } from '../../hooks/useWISMOMetrics';
import type { DashboardFilters } from '../../lib/filters';
import type { OverviewMetricKey } from '../../lib/metrics';
import { EmptyState, ErrorState } from '../ui/States';
import { MetricCard } from './MetricCard';
import { useSetupChecklist, SetupChecklistView } from './SetupChecklist';

export const PRIMARY_METRICS: OverviewMetricKey[] = [
  'totalInquiries',
  'inquiryRate',
  'avgResolutionSeconds',
  'satisfactionScore',
  'repeatInquiryRate',
  'firstContactResolutionRate',
  'onTimeDeliveryRate',
  'avgTimeToShipSeconds',
];

export interface WISMOOverviewProps {
  storeId: string;
  filters: DashboardFilters;
  metrics?: OverviewMetricKey[];
  /** Show the setup checklist while the store has not received every kind of data. */
  showSetup?: boolean;
}

/** A store with neither orders nor inquiries in the period. */
export function isOverviewEmpty(overview: Overview): boolean {
  return !overview.totalInquiries.value && !overview.totalOrders.value;
}

export function WISMOOverview({ storeId, filters, metrics = PRIMARY_METRICS, showSetup = false }: WISMOOverviewProps) {
  const query = useWISMOMetrics(storeId, filters);
  const definitions = useMetricDefinitions(storeId);
  const setup = useSetupChecklist(storeId, showSetup);
  const settingUp = showSetup && setup.data !== undefined && !setup.data.complete;

  const failed = [query, definitions].find((q) => q.isError && !q.data);
  if (failed) {
    return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} title="Couldn’t load the metrics" />;
  }
  const data = query.data;
  return (
    <div className="space-y-3">
      {settingUp && <SetupChecklistView checklist={setup.data} />}
      {data && isOverviewEmpty(data) && !settingUp && (
        <EmptyState title="No orders or inquiries in this period yet">
          The numbers show up here as orders arrive and customers ask about them. Try a longer date range.
        </EmptyState>
      )}
      <div
        className={`grid grid-cols-2 gap-3 xl:grid-cols-4 ${query.isFetching && data ? 'opacity-70 transition-opacity' : ''}`}
        aria-live="polite"
      >
        {metrics.map((key) => (
          <MetricCard key={key} metricKey={key} definition={definitions.data?.[key]} metric={data?.[key]} loading={!data} />
        ))}
      </div>
    </div>
  );
}
