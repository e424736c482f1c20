import type { QueryKey } from '@tanstack/react-query';
import { addDays, differenceInCalendarDays } from 'date-fns';
import type { AnalyticsRange, LiveMessage } from '../api/types';
import { namedRangeDates, parseIsoDate, toIsoDate } from './filters';

/**
 * Which cached queries a `metrics.updated` message makes stale. Pure functions, so the
 * rules are tested without a socket.
 */

type Span = readonly [start: string, end: string];

const RANGED = new Set(['overview', 'inquiries', 'fulfillment', 'satisfaction', 'insights']);
/** Endpoints whose figures compare with the previous period (an update there moves them too). */
const WITH_PREVIOUS = new Set(['overview', 'insights']);
/** Store-wide views that any change may move: refetched on every update. */
const ALWAYS = new Set(['drilldown', 'timeline', 'at-risk', 'alerts', 'conversations', 'conversation']);

function previousSpan([start, end]: Span): Span | null {
  const s = parseIsoDate(start);
  const e = parseIsoDate(end);
  if (!s || !e) return null;
  const days = differenceInCalendarDays(e, s) + 1;
  return [toIsoDate(addDays(s, -days)), toIsoDate(addDays(s, -1))];
}

function isRange(value: unknown): value is AnalyticsRange {
  return typeof value === 'object' && value !== null && typeof (value as AnalyticsRange).start === 'string';
}

/**
 * The local-date spans a ranged query covers: the range its data was computed for (when
 * cached) and the one its parameters mean today (a named range moves at midnight), each with
 * its previous period where the endpoint compares with it.
 */
export function querySpans(endpoint: string, params: unknown, data: unknown, today: string): Span[] {
  const spans: Span[] = [];
  const withPrevious = WITH_PREVIOUS.has(endpoint);
  const range = typeof data === 'object' && data !== null && 'range' in data ? (data as { range: unknown }).range : undefined;
  if (isRange(range)) {
    spans.push([range.start, range.end]);
    if (withPrevious) spans.push([range.previousStart, range.previousEnd]);
  }
  const p = (params ?? {}) as Record<string, unknown>;
  let current: Span | null = null;
  if (p.date_range === 'custom') {
    if (typeof p.start === 'string' && typeof p.end === 'string') current = [p.start, p.end];
  } else if (p.date_range === '7d' || p.date_range === '30d' || p.date_range === '90d') {
    const r = namedRangeDates(p.date_range, today);
    current = [r.start, r.end];
  }
  if (current) {
    spans.push(current);
    const prev = withPrevious ? previousSpan(current) : null;
    if (prev) spans.push(prev);
  }
  return spans;
}

/** Does an update of `dates` (store-local) for `storeId` make this cached query stale? */
export function isAffected(queryKey: QueryKey, data: unknown, storeId: string, dates: readonly string[], today: string): boolean {
  if (queryKey[0] !== 'wismo' || queryKey[1] !== storeId) return false;
  const endpoint = String(queryKey[2]);
  if (ALWAYS.has(endpoint)) return true;
  if (!RANGED.has(endpoint)) return false;
  const spans = querySpans(endpoint, queryKey[3], data, today);
  // Unknown span (should not happen): refetch rather than show stale numbers.
  if (spans.length === 0) return true;
  return dates.some((d) => spans.some(([s, e]) => s <= d && d <= e));
}

/** A message of the live socket, or null when it is not one we know. */
export function parseLiveMessage(raw: unknown): LiveMessage | null {
  if (typeof raw !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const msg = value as Record<string, unknown>;
  switch (msg.type) {
    case 'live.ready':
      return { type: 'live.ready', degraded: msg.degraded === true };
    case 'metrics.updated': {
      const dates = Array.isArray(msg.dates) ? msg.dates.filter((d): d is string => typeof d === 'string') : [];
      // An older server sends a single `date`.
      if (typeof msg.date === 'string') dates.push(msg.date);
      return { type: 'metrics.updated', storeId: String(msg.storeId ?? ''), dates, at: typeof msg.at === 'string' ? msg.at : undefined };
    }
    case 'live.degraded':
    case 'live.restored':
    case 'ping':
      return { type: msg.type };
    default:
      return null;
  }
}

/** Exponential backoff with jitter: 1 s, 2 s, 4 s, ... capped, each ±20 %. */
export function backoffDelay(attempt: number, initialMs = 1000, maxMs = 30_000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
