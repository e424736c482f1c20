import { Link, useSearchParams } from 'react-router';
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

/** Each duration the store can also count in its opening hours, and that twin. */
export const BUSINESS_TWIN: Partial<Record<OverviewMetricKey, OverviewMetricKey>> = {
  avgResolutionSeconds: 'avgResolutionBusinessSeconds',
  avgFirstResponseSeconds: 'avgFirstResponseBusinessSeconds',
};
export type Hours = 'calendar' | 'business';

/** The calendar/business-hours switch, kept in the URL (`?hours=business`) so a link keeps it. */
export function useHours(): [Hours, (hours: Hours) => void] {
  const [params, setParams] = useSearchParams();
  const hours: Hours = params.get('hours') === 'business' ? 'business' : 'calendar';
  const set = (next: Hours) =>
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        if (next === 'business') updated.set('hours', 'business');
        else updated.delete('hours');
        return updated;
      },
      { replace: true },
    );
  return [hours, set];
}

function HoursSwitch({ hours, onChange }: { hours: Hours; onChange: (hours: Hours) => void }) {
  const option = (value: Hours, label: string) => (
    <button
      type="button"
      aria-pressed={hours === value}
      onClick={() => onChange(value)}
      className={`rounded px-2.5 py-1 text-xs font-medium ${hours === value ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'}`}
    >
      {label}
    </button>
  );
  return (
    <div role="group" aria-label="Count response and resolution times in" className="inline-flex rounded-md bg-slate-100 p-0.5">
      {option('calendar', 'Calendar time')}
      {option('business', 'Business hours')}
    </div>
  );
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
  const [hours, setHours] = useHours();

  const failed = [query, definitions].find((q) => q.isError && !q.data);
  if (failed) {
    return <ErrorState error={failed.error} onRetry={() => void failed.refetch()} title="Couldn’t load the metrics" />;
  }
  const data = query.data;
  const twins = metrics.flatMap((key) => BUSINESS_TWIN[key] ?? []);
  const shown = metrics.map((key) => (hours === 'business' ? (BUSINESS_TWIN[key] ?? key) : key));
  const unmeasured = hours === 'business' && data !== undefined && twins.every((key) => data[key].value === null);
  return (
    <div className="space-y-3">
      {twins.length > 0 && (
        <div className="flex flex-wrap items-center justify-end gap-2">
          {unmeasured && (
            <p className="text-xs text-slate-500">
              No inquiry of this period was measured in business hours.{' '}
              <Link to="/settings/business-hours" className="font-medium text-indigo-700 hover:underline">
                Set business hours
              </Link>
            </p>
          )}
          <HoursSwitch hours={hours} onChange={setHours} />
        </div>
      )}
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
        {shown.map((key) => (
          <MetricCard key={key} metricKey={key} definition={definitions.data?.[key]} metric={data?.[key]} loading={!data} />
        ))}
      </div>
    </div>
  );
}
