import type { DrillParams } from '../../hooks/useWISMOMetrics';
import type { DashboardFilters } from '../../lib/filters';

/** What a click on a chart asks to see: the inquiries or shipments behind it. */
export interface Drill {
  kind: 'inquiries' | 'shipments';
  /** Human description of the selection, e.g. "Mar 5, 2025" or "Inquiry type: Tracking". */
  title: string;
  /** Extra API parameters on top of the page's filters. */
  params: DrillParams;
}

export interface WidgetProps {
  storeId: string;
  filters: DashboardFilters;
  onDrill: (drill: Drill) => void;
}
