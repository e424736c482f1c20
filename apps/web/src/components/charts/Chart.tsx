import { useIsFetching } from '@tanstack/react-query';
import { lazyModule, useLazyModule } from '../../hooks/useLazyModule';
import { Skeleton } from '../ui/Skeleton';
import type { ChartProps } from './chartSpec';

export { PALETTE, RATE_SCALE, SCORE5_SCALE } from './chartSpec';
export type { AxisScale, CartesianChartProps, ChartProps, ChartSeries, PieChartProps } from './chartSpec';

const recharts = lazyModule(() => import('./RechartsChart'));

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
 * cards have their data: the cards never wait for its download and parsing (not with
 * React.lazy: see useLazyModule).
 */
export function Chart<T extends object>(props: ChartProps<T>) {
  const cardsFirst = useIsFetching(firstOverviewLoad) > 0;
  const { module, failed } = useLazyModule(recharts, !cardsFirst);

  if (module) return <module.default {...props} />;
  const height = props.height ?? (props.kind === 'pie' ? 240 : 280);
  if (failed) {
    return (
      <p role="alert" style={{ height }} className="text-sm text-slate-500">
        The chart could not be loaded. Reload the page to try again.
      </p>
    );
  }
  return (
    <div role="status" style={{ height }}>
      <span className="sr-only">Loading chart: {props.title}</span>
      <Skeleton className="h-full w-full" />
    </div>
  );
}
