import { parseISO } from 'date-fns';
import type { GroupBy } from '../api/types';

/**
 * Formatting helpers. Every function takes the locale explicitly (the app passes
 * the browser's, tests pass 'en-US'); date-times take the store's IANA time zone,
 * because "a day" is always a local day of the store.
 *
 * Intl puts narrow/no-break spaces in some outputs ("6:30\u202fAM", "1.234,50\u00a0€");
 * they are normalised to plain spaces so the rendered text is predictable.
 */

export const DEFAULT_LOCALE = 'en-US';
export const EMPTY = '—';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `n|${locale}|${JSON.stringify(options)}`;
  let fmt = cache.get(key) as Intl.NumberFormat | undefined;
  if (!fmt) {
    fmt = new Intl.NumberFormat(locale, options);
    cache.set(key, fmt);
  }
  return fmt;
}
function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let fmt = cache.get(key) as Intl.DateTimeFormat | undefined;
  if (!fmt) {
    fmt = new Intl.DateTimeFormat(locale, options);
    cache.set(key, fmt);
  }
  return fmt;
}

function clean(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}

function isNum(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/* ---------- numbers ---------- */

export function formatNumber(value: number | null | undefined, locale = DEFAULT_LOCALE, maxDigits = 0): string {
  if (!isNum(value)) return EMPTY;
  return clean(numberFormat(locale, { maximumFractionDigits: maxDigits }).format(value));
}

/** A fraction 0..1 shown as a percentage: 0.1234 -> "12.3%". */
export function formatPercent(fraction: number | null | undefined, locale = DEFAULT_LOCALE, digits = 1): string {
  if (!isNum(fraction)) return EMPTY;
  return clean(
    numberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(
      fraction,
    ),
  );
}

/** A change already in percent (changePct): 12.34 -> "+12.3%", -4 -> "-4.0%", 0 -> "0.0%". */
export function formatChange(changePct: number | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!isNum(changePct)) return EMPTY;
  return clean(
    numberFormat(locale, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    }).format(changePct / 100),
  );
}

/** A score on its own scale with one decimal: 4.25 -> "4.3". */
export function formatScore(value: number | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!isNum(value)) return EMPTY;
  return clean(numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value));
}

export function formatCurrency(
  amount: number | null | undefined,
  currency: string,
  locale = DEFAULT_LOCALE,
): string {
  if (!isNum(amount)) return EMPTY;
  try {
    return clean(numberFormat(locale, { style: 'currency', currency }).format(amount));
  } catch {
    // An unknown currency code: show the plain number and the code.
    return `${formatNumber(amount, locale, 2)} ${currency}`;
  }
}

/**
 * A duration in seconds, compact: "45s", "12m", "3h 20m", and from a day on "2.4 d".
 */
export function formatDuration(seconds: number | null | undefined, locale = DEFAULT_LOCALE): string {
  if (!isNum(seconds)) return EMPTY;
  const s = Math.max(0, seconds);
  if (Math.round(s) < 60) return `${Math.round(s)}s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return m === 0 ? `${h}h` : `${h}h ${m}m`;
  }
  const days = numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(s / 86400);
  return `${clean(days)} d`;
}

/**
 * Axis ticks for durations at round values of one unit (minutes, hours or days)
 * instead of arbitrary seconds: max 130000 s (36.1h) -> 0h, 10h, 20h, 30h, 40h.
 */
export function durationScale(
  maxSeconds: number,
  locale = DEFAULT_LOCALE,
): { domain: [number, number]; ticks: number[]; tickFormat: (v: number) => string } {
  const unit =
    maxSeconds >= 2 * 86400 ? { s: 86400, suffix: ' d' } : maxSeconds >= 2 * 3600 ? { s: 3600, suffix: 'h' } : maxSeconds >= 120 ? { s: 60, suffix: 'm' } : { s: 1, suffix: 's' };
  const inUnits = Math.max(maxSeconds / unit.s, 1);
  const raw = inUnits / 4;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].map((x) => x * pow).find((x) => x >= raw) ?? 10 * pow) * unit.s;
  const top = Math.ceil(maxSeconds / step - 1e-9) * step || step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + 1e-6; v += step) ticks.push(v);
  const digits = step / unit.s < 1 ? 1 : 0;
  return {
    domain: [0, top],
    ticks,
    tickFormat: (v) => `${formatNumber(v / unit.s, locale, digits)}${unit.suffix}`,
  };
}

/* ---------- dates ---------- */

/** The store-local calendar date (YYYY-MM-DD) of an instant. */
export function toZonedDate(instant: string | Date, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  // en-CA formats as YYYY-MM-DD.
  return dateFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

/** Today's date in the store's time zone. */
export function todayInZone(timeZone: string, now: Date = new Date()): string {
  return toZonedDate(now, timeZone);
}

/** An instant in the store's time zone: "Mar 9, 2025, 6:30 AM". */
export function formatDateTime(instant: string | null | undefined, timeZone: string, locale = DEFAULT_LOCALE): string {
  if (!instant) return EMPTY;
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return EMPTY;
  return clean(dateFormat(locale, { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(date));
}

/** The store-local date of an instant: "Mar 9, 2025". */
export function formatDateInZone(instant: string | null | undefined, timeZone: string, locale = DEFAULT_LOCALE): string {
  if (!instant) return EMPTY;
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return EMPTY;
  return clean(dateFormat(locale, { timeZone, dateStyle: 'medium' }).format(date));
}

/** A calendar date (YYYY-MM-DD, already store-local) — never shifted by any time zone. */
export function formatCalendarDate(
  isoDate: string | null | undefined,
  locale = DEFAULT_LOCALE,
  style: 'medium' | 'short' | 'month' = 'medium',
): string {
  if (!isoDate || !ISO_DATE.test(isoDate)) return EMPTY;
  const date = parseISO(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return EMPTY;
  const options: Intl.DateTimeFormatOptions =
    style === 'medium'
      ? { timeZone: 'UTC', dateStyle: 'medium' }
      : style === 'short'
        ? { timeZone: 'UTC', month: 'short', day: 'numeric' }
        : { timeZone: 'UTC', month: 'short', year: 'numeric' };
  return clean(dateFormat(locale, options).format(date));
}

/** A date that may be a calendar date or an instant (estimated deliveries may be either). */
export function formatDateOrInstant(value: string | null | undefined, timeZone: string, locale = DEFAULT_LOCALE): string {
  if (!value) return EMPTY;
  return ISO_DATE.test(value) ? formatCalendarDate(value, locale) : formatDateInZone(value, timeZone, locale);
}

/** The store-local calendar date of a date-or-instant value. */
export function localDateOf(value: string, timeZone: string): string {
  return ISO_DATE.test(value) ? value : toZonedDate(value, timeZone);
}

/** Axis label of a bucket (labelled by its first date). */
export function formatBucket(isoDate: string, groupBy: GroupBy, locale = DEFAULT_LOCALE): string {
  return groupBy === 'month' ? formatCalendarDate(isoDate, locale, 'month') : formatCalendarDate(isoDate, locale, 'short');
}

/** Tooltip / heading label of a bucket: "Mar 5, 2025", "Week of Mar 3, 2025", "Mar 2025". */
export function formatBucketLong(isoDate: string, groupBy: GroupBy, locale = DEFAULT_LOCALE): string {
  if (groupBy === 'month') return formatCalendarDate(isoDate, locale, 'month');
  const day = formatCalendarDate(isoDate, locale);
  return groupBy === 'week' ? `Week of ${day}` : day;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** "14:00" style hour label. */
export function formatHour(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}

/** "in_transit" -> "In transit". */
export function humanize(key: string | null | undefined): string {
  if (!key) return EMPTY;
  const text = key.replace(/[_-]+/g, ' ').trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}
