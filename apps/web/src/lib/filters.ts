import { differenceInCalendarDays, subDays } from 'date-fns';
import * as z from 'zod/mini';
import type { InsightsQuery, OverviewQuery, TrendsQuery } from '../api/endpoints';
import type { Channel, DateRangeKey, GroupBy, InquiryType } from '../api/types';

/**
 * The dashboard's view (range, interval, filters) lives in the URL search params,
 * under the API's own parameter names, so a view can be shared by its link.
 * Anything invalid falls back to the default instead of failing.
 */

export const DATE_RANGES = ['7d', '30d', '90d', 'custom'] as const satisfies readonly DateRangeKey[];
export const GROUP_BYS = ['day', 'week', 'month'] as const satisfies readonly GroupBy[];
export const INQUIRY_TYPES = ['status', 'tracking', 'delivery', 'refund', 'other'] as const satisfies readonly InquiryType[];
export const CHANNELS = ['chat', 'email', 'phone', 'social', 'other'] as const satisfies readonly Channel[];
export const MAX_CUSTOM_DAYS = 731;

export interface DashboardFilters {
  dateRange: DateRangeKey;
  /** Only with dateRange 'custom': inclusive local dates, YYYY-MM-DD. */
  start?: string;
  end?: string;
  groupBy: GroupBy;
  channel?: Channel;
  inquiryType?: InquiryType;
  carrier?: string;
}

export const DEFAULT_FILTERS: DashboardFilters = { dateRange: '30d', groupBy: 'day' };

/** A YYYY-MM-DD string as a local-midnight Date, or null when it is no calendar date (2025-02-30). */
export function parseIsoDate(value: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(y, mo - 1, d);
  return date.getFullYear() === y && date.getMonth() === mo - 1 && date.getDate() === d ? date : null;
}

export function toIsoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const isoDate = z.string().check(
  z.regex(/^\d{4}-\d{2}-\d{2}$/),
  z.refine((value) => parseIsoDate(value) !== null, 'not a calendar date'),
);

// `zod/mini` keeps the bundle small; every field falls back instead of failing.
const searchSchema = z.object({
  date_range: z.catch(z.enum(DATE_RANGES), DEFAULT_FILTERS.dateRange),
  start: z.catch(z.optional(isoDate), undefined),
  end: z.catch(z.optional(isoDate), undefined),
  group_by: z.catch(z.enum(GROUP_BYS), DEFAULT_FILTERS.groupBy),
  channel: z.catch(z.optional(z.enum(CHANNELS)), undefined),
  inquiry_type: z.catch(z.optional(z.enum(INQUIRY_TYPES)), undefined),
  carrier: z.catch(z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(64))), undefined),
});

/** Number of days in an inclusive custom range, or null when it is not a valid range. */
export function customRangeDays(start: string | undefined, end: string | undefined): number | null {
  if (!start || !end) return null;
  const s = parseIsoDate(start);
  const e = parseIsoDate(end);
  if (!s || !e) return null;
  const days = differenceInCalendarDays(e, s) + 1;
  return days >= 1 && days <= MAX_CUSTOM_DAYS ? days : null;
}

export function parseFilters(search: URLSearchParams | string): DashboardFilters {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const raw: Record<string, string> = {};
  for (const key of Object.keys(searchSchema.shape)) {
    const value = params.get(key);
    if (value !== null) raw[key] = value;
  }
  const parsed = searchSchema.parse(raw);

  const filters: DashboardFilters = { dateRange: parsed.date_range, groupBy: parsed.group_by };
  if (parsed.date_range === 'custom') {
    if (customRangeDays(parsed.start, parsed.end) === null) {
      filters.dateRange = DEFAULT_FILTERS.dateRange;
    } else {
      filters.start = parsed.start;
      filters.end = parsed.end;
    }
  }
  if (parsed.channel) filters.channel = parsed.channel;
  if (parsed.inquiry_type) filters.inquiryType = parsed.inquiry_type;
  if (parsed.carrier) filters.carrier = parsed.carrier;
  return filters;
}

const FILTER_PARAMS = ['date_range', 'start', 'end', 'group_by', 'channel', 'inquiry_type', 'carrier'] as const;

/** Writes the filters into a copy of `base`, keeping unrelated params (such as `store`). */
export function writeFilters(filters: DashboardFilters, base?: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of FILTER_PARAMS) params.delete(key);
  for (const [key, value] of Object.entries(toAnalyticsQuery(filters))) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null && item !== '') params.append(key, String(item));
    }
  }
  return params;
}

/** The filters as the analytics endpoints' query parameters (the trend endpoints take all of them). */
export function toAnalyticsQuery(filters: DashboardFilters): TrendsQuery {
  return { ...overviewQuery(filters), group_by: filters.groupBy };
}

/** Just the date range: the part of the view every endpoint takes. */
export function rangeQuery(filters: DashboardFilters): InsightsQuery {
  const query: InsightsQuery = { date_range: filters.dateRange };
  if (filters.dateRange === 'custom') {
    query.start = filters.start;
    query.end = filters.end;
  }
  return query;
}

/** Range and filters, without the interval (the overview has no buckets). */
export function overviewQuery(filters: DashboardFilters): OverviewQuery {
  const query: OverviewQuery = rangeQuery(filters);
  // The API sums several values of one filter; the dashboard picks one at a time.
  if (filters.channel) query.channel = [filters.channel];
  if (filters.inquiryType) query.inquiry_type = [filters.inquiryType];
  if (filters.carrier) query.carrier = [filters.carrier];
  return query;
}

/** Start and end of a named range ending on `today` (the store's local date), inclusive. */
export function namedRangeDates(range: Exclude<DateRangeKey, 'custom'>, today: string): { start: string; end: string } {
  const days = range === '7d' ? 7 : range === '30d' ? 30 : 90;
  const end = parseIsoDate(today) ?? new Date();
  return { start: toIsoDate(subDays(end, days - 1)), end: toIsoDate(end) };
}
