import { useId, useState } from 'react';
import type { Insight } from '../../api/types';
import { useInsights } from '../../hooks/useWISMOMetrics';
import type { DashboardFilters } from '../../lib/filters';
import { Card } from '../ui/Card';
import { QueryView } from '../ui/QueryView';
import { LoadingBlock } from '../ui/Skeleton';
import { EmptyState } from '../ui/States';

const TYPE_STYLE: Record<Insight['type'], { ring: string; icon: string; label: string }> = {
  warning: { ring: 'border-amber-200 bg-amber-50', icon: 'text-amber-600', label: 'Warning' },
  opportunity: { ring: 'border-indigo-200 bg-indigo-50', icon: 'text-indigo-600', label: 'Opportunity' },
  success: { ring: 'border-emerald-200 bg-emerald-50', icon: 'text-emerald-600', label: 'Going well' },
};

const IMPACT_STYLE: Record<Insight['impact'], string> = {
  high: 'bg-rose-100 text-rose-800',
  medium: 'bg-amber-100 text-amber-800',
  low: 'bg-slate-200 text-slate-700',
};

function InsightIcon({ type }: { type: Insight['type'] }) {
  const d =
    type === 'warning'
      ? 'M12 9v3.75m0 3.75h.008M10.34 3.94 1.82 18a1.5 1.5 0 0 0 1.3 2.25h17.76a1.5 1.5 0 0 0 1.3-2.25L13.66 3.94a1.5 1.5 0 0 0-2.6 0Z'
      : type === 'success'
        ? 'M9 12.75 11.25 15 15 9.75M21 12a9 9 0 1 1-18 0 9 9 0 0 1 18 0Z'
        : 'M12 18v-5.25m0 0a6 6 0 0 0 1.5-.19m-1.5.19a6 6 0 0 1-1.5-.19m3.75 7.48a12 12 0 0 1-4.5 0m3.75 2.38a14.4 14.4 0 0 1-3 0M14.25 18v-.19c0-.98.66-1.82 1.51-2.32a7.5 7.5 0 1 0-7.52 0c.85.5 1.51 1.34 1.51 2.32V18';
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.6" className={`h-5 w-5 shrink-0 ${TYPE_STYLE[type].icon}`}>
      <path strokeLinecap="round" strokeLinejoin="round" d={d} />
    </svg>
  );
}

/** Insights arrive most important first; the rest wait behind "more". */
export const INSIGHTS_SHOWN = 3;

export function InsightList({ insights }: { insights: Insight[] }) {
  const [expanded, setExpanded] = useState(false);
  const listId = useId();
  const hidden = insights.length - INSIGHTS_SHOWN;
  const shown = expanded || hidden <= 0 ? insights : insights.slice(0, INSIGHTS_SHOWN);
  return (
    <div className="space-y-2">
    <ul id={listId} className="space-y-2" data-testid="insight-list">
      {shown.map((insight, i) => {
        const style = TYPE_STYLE[insight.type] ?? TYPE_STYLE.opportunity;
        return (
          <li key={`${insight.title}-${i}`} data-testid="insight" className={`rounded-lg border p-2.5 ${style.ring}`}>
            <div className="flex items-start gap-2">
              <InsightIcon type={insight.type} />
              <div className="min-w-0 flex-1">
                <p className="flex flex-wrap items-center gap-2 text-sm font-semibold text-slate-900">
                  <span className="sr-only">{style.label}: </span>
                  {insight.title}
                  <span className={`rounded px-1.5 py-0.5 text-[10px] font-medium uppercase tracking-wide ${IMPACT_STYLE[insight.impact] ?? IMPACT_STYLE.low}`}>
                    {insight.impact} impact
                  </span>
                </p>
                <p className="mt-1 text-sm text-slate-700">{insight.description}</p>
                {insight.recommendation && (
                  <p className="mt-1.5 text-sm text-slate-900">
                    <span className="font-medium">Try: </span>
                    {insight.recommendation}
                  </p>
                )}
              </div>
            </div>
          </li>
        );
      })}
    </ul>
      {hidden > 0 && (
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded((e) => !e)}
          className="text-sm font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          {expanded ? 'Show fewer' : `Show ${hidden} more`}
        </button>
      )}
    </div>
  );
}

export function InsightsPanel({ storeId, filters, className = '' }: { storeId: string; filters: DashboardFilters; className?: string }) {
  const query = useInsights(storeId, filters);
  return (
    <Card title="Insights" description="What stands out, and what to do about it." className={className} headingId="insights">
      <QueryView
        query={query}
        compact
        errorTitle="Couldn’t load insights"
        loading={<LoadingBlock className="h-40" label="Loading insights…" />}
        isEmpty={(d) => d === null || d.length === 0}
        empty={
          <EmptyState title={query.data === null ? 'Insights aren’t available yet' : 'Nothing unusual in this period'} compact>
            {query.data === null
              ? 'Automated insights appear here once they have been generated for your store.'
              : 'No warnings or opportunities were found for these dates.'}
          </EmptyState>
        }
      >
        {(d) => <InsightList insights={d ?? []} />}
      </QueryView>
    </Card>
  );
}
