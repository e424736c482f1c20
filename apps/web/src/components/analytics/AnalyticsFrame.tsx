import { useState, type ReactNode } from 'react';
import { useStore } from '../../app/StoreContext';
import { useDashboardFilters } from '../../hooks/useDashboardFilters';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useWISMOMetrics } from '../../hooks/useWISMOMetrics';
import { DateRangeSelector } from './DateRangeSelector';
import type { Drill, WidgetProps } from './drill';
import { DrilldownPanel } from './DrilldownPanel';
import { ExportMenu } from './ExportMenu';

interface AnalyticsFrameProps {
  title: string;
  description: string;
  children: (widget: WidgetProps) => ReactNode;
}

/** What every analytics page shares: title, range selector (URL state), drill-down panel. */
export function AnalyticsFrame({ title, description, children }: AnalyticsFrameProps) {
  usePageTitle(title);
  const { store } = useStore();
  const [filters, setFilters] = useDashboardFilters();
  const [drill, setDrill] = useState<Drill | null>(null);
  const overview = useWISMOMetrics(store.id, filters);

  return (
    <div className="space-y-5">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900 sm:text-2xl">{title}</h1>
          <p className="mt-0.5 text-sm text-slate-500">{description}</p>
        </div>
        <ExportMenu storeId={store.id} filters={filters} />
      </div>
      {/* keyed by store so a custom range form resets when the store (time zone) changes */}
      <DateRangeSelector key={store.id} filters={filters} onChange={setFilters} range={overview.data?.range} />
      {children({ storeId: store.id, filters, onDrill: setDrill })}
      <DrilldownPanel storeId={store.id} filters={filters} drill={drill} onClose={() => setDrill(null)} />
    </div>
  );
}
