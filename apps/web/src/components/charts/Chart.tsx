import { lazy, Suspense } from 'react';
import { Skeleton } from '../ui/Skeleton';
import type { ChartProps } from './chartSpec';
import type RechartsChartImpl from './RechartsChart';

export { PALETTE, RATE_SCALE, SCORE5_SCALE } from './chartSpec';
export type { AxisScale, CartesianChartProps, ChartProps, ChartSeries, PieChartProps } from './chartSpec';

/** Starts loading Recharts (its own chunk); pages call it early so charts are not last to arrive. */
export const loadCharts = () => import('./RechartsChart');

// lazy() drops the component's type parameter; the cast gives it back.
const RechartsChart = lazy(loadCharts) as unknown as typeof RechartsChartImpl;

/**
 * The one chart wrapper. Domain charts describe their data and series; this
 * renders the Recharts chart inside an accessible <figure> (aria-label and
 * caption), with legend toggles, formatted tooltips, click-to-drill-down and a
 * keyboard-reachable data table that offers the same drill-down.
 *
 * Recharts is loaded on first use, so the login page and the cards never wait for it.
 */
export function Chart<T extends object>(props: ChartProps<T>) {
  const height = props.height ?? (props.kind === 'pie' ? 240 : 280);
  return (
    <Suspense
      fallback={
        <div role="status" style={{ height }}>
          <span className="sr-only">Loading chart: {props.title}</span>
          <Skeleton className="h-full w-full" />
        </div>
      }
    >
      <RechartsChart {...props} />
    </Suspense>
  );
}
