import type { MetricDefinition, MetricValue } from '../../api/types';
import { useFormat } from '../../lib/formatContext';
import { changeTone, scaleSuffix, type MetricKey, type Tone } from '../../lib/metrics';
import { Skeleton } from '../ui/Skeleton';

const TONE_CLASS: Record<Tone, string> = {
  good: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  bad: 'bg-rose-50 text-rose-700 ring-rose-600/20',
  neutral: 'bg-slate-100 text-slate-600 ring-slate-500/20',
};

const TONE_WORD: Record<Tone, string> = { good: 'an improvement', bad: 'a deterioration', neutral: 'no change' };

export interface MetricCardProps {
  metricKey: MetricKey;
  /** From the metric registry; the card waits (skeleton) until it is there. */
  definition: MetricDefinition | undefined;
  metric: MetricValue | undefined;
  loading?: boolean;
  /** Hide the comparison line (metrics that have no previous period). */
  hideChange?: boolean;
}

export function MetricCard({ metricKey, definition, metric, loading = false, hideChange = false }: MetricCardProps) {
  const value = metric?.value ?? null;
  const changePct = metric?.changePct ?? null;
  const labelId = `metric-label-${metricKey}`;

  return (
    <article
      data-testid={`metric-${metricKey}`}
      aria-labelledby={labelId}
      aria-busy={loading || !definition || undefined}
      className="flex min-w-0 flex-col rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4"
    >
      <h3 id={labelId} className="flex items-center gap-1 text-sm font-medium text-slate-500" title={definition?.description}>
        {definition ? definition.label : <Skeleton className="h-4 w-28" />}
      </h3>
      {loading || !definition ? (
        <>
          <Skeleton className="mt-2 h-8 w-24" />
          <Skeleton className="mt-3 h-4 w-32" />
        </>
      ) : (
        <MetricFigures definition={definition} metric={metric} value={value} changePct={changePct} hideChange={hideChange} />
      )}
    </article>
  );
}

interface MetricFiguresProps {
  definition: MetricDefinition;
  metric: MetricValue | undefined;
  value: number | null;
  changePct: number | null;
  hideChange: boolean;
}

function MetricFigures({ definition, metric, value, changePct, hideChange }: MetricFiguresProps) {
  const fmt = useFormat();
  const tone = changeTone(definition.good, changePct);
  const suffix = scaleSuffix(definition);
  return (
        <>
          <p className="mt-1 flex items-baseline gap-1 text-xl font-semibold sm:text-2xl tracking-tight text-slate-900 tabular-nums">
            <span data-testid="metric-value" data-raw={value ?? ''}>
              {fmt.metric(definition.unit, value)}
            </span>
            {suffix && value !== null && <span className="text-sm font-normal text-slate-500">{suffix}</span>}
          </p>
          {!hideChange && (
            <p className="mt-2 flex flex-wrap items-center gap-x-1.5 gap-y-1 text-xs text-slate-500">
              {changePct !== null ? (
                <>
                  <span
                    data-testid="metric-change"
                    data-tone={tone}
                    className={`inline-flex items-center gap-0.5 rounded-md px-1.5 py-0.5 font-medium ring-1 ring-inset tabular-nums ${TONE_CLASS[tone]}`}
                  >
                    <span aria-hidden="true">{changePct > 0 ? '▲' : changePct < 0 ? '▼' : '■'}</span>
                    {fmt.change(changePct)}
                    <span className="sr-only">, {TONE_WORD[tone]}</span>
                  </span>
                  <span>
                    vs previous period ({fmt.metric(definition.unit, metric?.previous ?? null)})
                  </span>
                </>
              ) : (
                <span data-testid="metric-change" data-tone="neutral">
                  No comparison with the previous period
                </span>
              )}
            </p>
          )}
        </>
  );
}
