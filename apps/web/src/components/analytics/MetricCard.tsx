import type { MetricValue } from '../../api/types';
import { useFormat } from '../../lib/formatContext';
import { changeTone, METRICS, type MetricKey, type Tone } from '../../lib/metrics';
import { Skeleton } from '../ui/Skeleton';

const TONE_CLASS: Record<Tone, string> = {
  good: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
  bad: 'bg-rose-50 text-rose-700 ring-rose-600/20',
  neutral: 'bg-slate-100 text-slate-600 ring-slate-500/20',
};

const TONE_WORD: Record<Tone, string> = { good: 'an improvement', bad: 'a deterioration', neutral: 'no change' };

const SUFFIX: Partial<Record<string, string>> = { score5: '/ 5', score7: '/ 7' };

export interface MetricCardProps {
  metricKey: MetricKey;
  metric: MetricValue | undefined;
  loading?: boolean;
  /** Hide the comparison line (metrics that have no previous period). */
  hideChange?: boolean;
}

export function MetricCard({ metricKey, metric, loading = false, hideChange = false }: MetricCardProps) {
  const fmt = useFormat();
  const def = METRICS[metricKey];
  const value = metric?.value ?? null;
  const changePct = metric?.changePct ?? null;
  const tone = changeTone(metricKey, changePct);
  const labelId = `metric-label-${metricKey}`;
  const suffix = SUFFIX[def.kind];

  return (
    <article
      data-testid={`metric-${metricKey}`}
      aria-labelledby={labelId}
      aria-busy={loading || undefined}
      className="flex min-w-0 flex-col rounded-xl border border-slate-200 bg-white p-3 shadow-sm sm:p-4"
    >
      <h3 id={labelId} className="flex items-center gap-1 text-sm font-medium text-slate-500" title={def.help}>
        {def.label}
      </h3>
      {loading ? (
        <>
          <Skeleton className="mt-2 h-8 w-24" />
          <Skeleton className="mt-3 h-4 w-32" />
        </>
      ) : (
        <>
          <p className="mt-1 flex items-baseline gap-1 text-xl font-semibold sm:text-2xl tracking-tight text-slate-900 tabular-nums">
            <span data-testid="metric-value" data-raw={value ?? ''}>
              {fmt.metric(metricKey, value)}
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
                    vs previous period ({fmt.metric(metricKey, metric?.previous ?? null)})
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
      )}
    </article>
  );
}
