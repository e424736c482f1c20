import { useId, useState, type FormEvent } from 'react';
import type { AnalyticsRange, DateRangeKey, GroupBy } from '../../api/types';
import {
  CHANNELS,
  customRangeDays,
  GROUP_BYS,
  INQUIRY_TYPES,
  MAX_CUSTOM_DAYS,
  namedRangeDates,
  type DashboardFilters,
} from '../../lib/filters';
import { humanize, todayInZone } from '../../lib/format';
import { useFormat } from '../../lib/formatContext';

const RANGE_LABELS: Record<DateRangeKey, string> = { '7d': '7 days', '30d': '30 days', '90d': '90 days', custom: 'Custom' };

interface DateRangeSelectorProps {
  filters: DashboardFilters;
  onChange: (patch: Partial<DashboardFilters>) => void;
  /** The resolved range from the API, shown as a caption. */
  range?: AnalyticsRange;
  /** Show the channel / inquiry-type filters. */
  showFilters?: boolean;
}

const controlClass =
  'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm text-slate-800 shadow-sm focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-indigo-600';

export function DateRangeSelector({ filters, onChange, range, showFilters = true }: DateRangeSelectorProps) {
  const fmt = useFormat();
  const id = useId();
  const today = todayInZone(fmt.timeZone);
  const [customOpen, setCustomOpen] = useState(false);
  const fallback = filters.dateRange === 'custom' ? null : namedRangeDates(filters.dateRange, today);
  const [start, setStart] = useState(filters.start ?? range?.start ?? fallback?.start ?? today);
  const [end, setEnd] = useState(filters.end ?? range?.end ?? fallback?.end ?? today);
  const days = customRangeDays(start, end);
  const invalid = days === null ? `Choose a start on or before the end, at most ${MAX_CUSTOM_DAYS} days.` : null;

  const showCustom = customOpen || filters.dateRange === 'custom';

  const pick = (key: DateRangeKey) => {
    if (key === 'custom') {
      setCustomOpen(true);
      return;
    }
    setCustomOpen(false);
    onChange({ dateRange: key });
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    if (invalid) return;
    onChange({ dateRange: 'custom', start, end });
  };

  return (
    <div className="flex flex-col gap-3 rounded-xl border border-slate-200 bg-white p-3 shadow-sm">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <div role="group" aria-label="Date range" className="inline-flex rounded-lg bg-slate-100 p-0.5">
          {(Object.keys(RANGE_LABELS) as DateRangeKey[]).map((key) => {
            const active = key === 'custom' ? showCustom : filters.dateRange === key && !customOpen;
            return (
              <button
                key={key}
                type="button"
                aria-pressed={active}
                onClick={() => pick(key)}
                className={`rounded-md px-2.5 py-1 text-sm font-medium transition focus-visible:outline-2 focus-visible:outline-indigo-600 ${active ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900'}`}
              >
                {RANGE_LABELS[key]}
              </button>
            );
          })}
        </div>

        <label className="flex items-center gap-1.5 text-sm text-slate-600">
          Group by
          <select
            className={controlClass}
            value={filters.groupBy}
            onChange={(e) => onChange({ groupBy: e.target.value as GroupBy })}
          >
            {GROUP_BYS.map((g) => (
              <option key={g} value={g}>
                {humanize(g)}
              </option>
            ))}
          </select>
        </label>

        {showFilters && (
          <>
            <label className="flex items-center gap-1.5 text-sm text-slate-600">
              Channel
              <select
                className={controlClass}
                value={filters.channel ?? ''}
                onChange={(e) => onChange({ channel: (e.target.value || undefined) as DashboardFilters['channel'] })}
              >
                <option value="">All</option>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {humanize(c)}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex items-center gap-1.5 text-sm text-slate-600">
              Inquiry type
              <select
                className={controlClass}
                value={filters.inquiryType ?? ''}
                onChange={(e) =>
                  onChange({ inquiryType: (e.target.value || undefined) as DashboardFilters['inquiryType'] })
                }
              >
                <option value="">All</option>
                {INQUIRY_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {humanize(t)}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {filters.carrier && (
          <span className="inline-flex items-center gap-1 rounded-full bg-indigo-50 px-2.5 py-0.5 text-sm text-indigo-700">
            Carrier: {filters.carrier}
            <button
              type="button"
              aria-label="Remove carrier filter"
              onClick={() => onChange({ carrier: undefined })}
              className="ml-0.5 rounded-full px-1 hover:bg-indigo-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              ×
            </button>
          </span>
        )}

        {range && (
          <p className="text-xs text-slate-500 lg:ml-auto" data-testid="range-caption">
            {fmt.calendarDate(range.start)} – {fmt.calendarDate(range.end)}
            <span className="hidden sm:inline">
              {' '}
              · vs {fmt.calendarDate(range.previousStart)} – {fmt.calendarDate(range.previousEnd)}
            </span>{' '}
            · {range.timezone}
          </p>
        )}
      </div>

      {showCustom && (
        <form onSubmit={apply} className="flex flex-wrap items-end gap-3" aria-label="Custom date range">
          <label className="flex flex-col text-xs font-medium text-slate-600" htmlFor={`${id}-start`}>
            Start
            <input
              id={`${id}-start`}
              type="date"
              className={controlClass}
              value={start}
              max={today}
              required
              onChange={(e) => setStart(e.target.value)}
            />
          </label>
          <label className="flex flex-col text-xs font-medium text-slate-600" htmlFor={`${id}-end`}>
            End
            <input
              id={`${id}-end`}
              type="date"
              className={controlClass}
              value={end}
              max={today}
              required
              onChange={(e) => setEnd(e.target.value)}
            />
          </label>
          <button
            type="submit"
            disabled={invalid !== null}
            className="rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50"
          >
            Apply
          </button>
          <p className={`text-xs ${invalid ? 'text-rose-600' : 'text-slate-500'}`} aria-live="polite">
            {invalid ?? `${days} days, in the store’s time zone (${fmt.timeZone}).`}
          </p>
        </form>
      )}
    </div>
  );
}
