import { useIsFetching } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { Skeleton } from '../ui/Skeleton';
import type { ChartProps } from './chartSpec';
import type RechartsChartImpl from './RechartsChart';

export { PALETTE, RATE_SCALE, SCORE5_SCALE } from './chartSpec';
export type { AxisScale, CartesianChartProps, ChartProps, ChartSeries, PieChartProps } from './chartSpec';

let rechartsLoaded = false;
// lazy() drops the component's type parameter; the cast gives it back.
const RechartsChart = lazy(() =>
  import('./RechartsChart').then((module) => {
    rechartsLoaded = true;
    return module;
  }),
) as unknown as typeof RechartsChartImpl;

/** Queries of the overview metrics loading for the first time (no data yet). */
const firstOverviewLoad = {
  predicate: (q: { queryKey: readonly unknown[]; state: { data: unknown } }) =>
    q.queryKey[2] === 'overview' && q.state.data === undefined,
};

/**
 * The one chart wrapper. Domain charts describe their data and series; this
 * renders the Recharts chart inside an accessible <figure> (aria-label and
 * caption), with legend toggles, formatted tooltips, click-to-drill-down and a
 * keyboard-reachable data table that offers the same drill-down.
 *
 * Recharts (its own chunk) is loaded on first use, and not before the page's overview
 * cards have their data: the cards never wait for its download and parsing.
 */
export function Chart<T extends object>(props: ChartProps<T>) {
  const cardsFirst = useIsFetching(firstOverviewLoad) > 0 && !rechartsLoaded;
  const height = props.height ?? (props.kind === 'pie' ? 240 : 280);
  const placeholder = (
    <div role="status" style={{ height }}>
      <span className="sr-only">Loading chart: {props.title}</span>
      <Skeleton className="h-full w-full" />
    </div>
  );
  if (cardsFirst) return placeholder;
  return (
    <Suspense fallback={placeholder}>
      <RechartsChart {...props} />
    </Suspense>
  );
}
