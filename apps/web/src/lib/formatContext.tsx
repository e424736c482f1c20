import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { GroupBy } from '../api/types';
import * as f from './format';
import type { MetricDefinition } from '../api/types';
import { formatMetric } from './metrics';

export interface FormatSettings {
  locale: string;
  timeZone: string;
  currency: string;
}

export const DEFAULT_FORMAT: FormatSettings = { locale: f.DEFAULT_LOCALE, timeZone: 'UTC', currency: 'USD' };

const FormatContext = createContext<FormatSettings>(DEFAULT_FORMAT);

export function FormatProvider({ value, children }: { value: FormatSettings; children: ReactNode }) {
  return <FormatContext.Provider value={value}>{children}</FormatContext.Provider>;
}

export function browserLocale(): string {
  if (typeof navigator !== 'undefined' && navigator.language) {
    try {
      return Intl.getCanonicalLocales(navigator.language)[0] ?? f.DEFAULT_LOCALE;
    } catch {
      /* ignore */
    }
  }
  return f.DEFAULT_LOCALE;
}

/** Formatters bound to the current store's locale, time zone and currency. */
export function useFormat() {
  const settings = useContext(FormatContext);
  return useMemo(() => {
    const { locale, timeZone, currency } = settings;
    return {
      ...settings,
      number: (v: number | null | undefined, digits = 0) => f.formatNumber(v, locale, digits),
      percent: (v: number | null | undefined, digits = 1) => f.formatPercent(v, locale, digits),
      change: (v: number | null | undefined) => f.formatChange(v, locale),
      duration: (v: number | null | undefined) => f.formatDuration(v, locale),
      score: (v: number | null | undefined) => f.formatScore(v, locale),
      currency: (v: number | null | undefined) => f.formatCurrency(v, currency, locale),
      currencyCode: currency,
      dateTime: (v: string | null | undefined) => f.formatDateTime(v, timeZone, locale),
      date: (v: string | null | undefined) => f.formatDateOrInstant(v, timeZone, locale),
      calendarDate: (v: string | null | undefined) => f.formatCalendarDate(v, locale),
      bucket: (v: string, groupBy: GroupBy) => f.formatBucket(v, groupBy, locale),
      bucketLong: (v: string, groupBy: GroupBy) => f.formatBucketLong(v, groupBy, locale),
      metric: (unit: MetricDefinition['unit'], v: number | null | undefined) => formatMetric(unit, v, locale),
    };
  }, [settings]);
}

export type Formatters = ReturnType<typeof useFormat>;
