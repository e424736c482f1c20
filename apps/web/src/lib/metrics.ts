import type { MetricDefinition, Overview } from '../api/types';
import { formatDuration, formatNumber, formatPercent, formatScore } from './format';

/**
 * Labels, units and good directions come from the backend's metric registry
 * (`GET /api/v1/analytics/wismo/metrics`, `useMetricDefinitions` in hooks/useWISMOMetrics.ts); this module only
 * formats and colours by them.
 */

export type OverviewMetricKey = Exclude<keyof Overview, 'range'>;
/** The field name of a metric in API responses (the registry's `key`). */
export type MetricKey = string;
export type Tone = 'good' | 'bad' | 'neutral';

export function formatMetric(unit: MetricDefinition['unit'], value: number | null | undefined, locale?: string): string {
  switch (unit) {
    case 'count':
      return formatNumber(value, locale);
    case 'fraction':
      return formatPercent(value, locale);
    case 'seconds':
      return formatDuration(value, locale);
    case 'score':
      return formatScore(value, locale);
  }
}

/** "/ 5" after a score on a 1–5 scale; nothing for other units. */
export function scaleSuffix(definition: Pick<MetricDefinition, 'scale'>): string | null {
  const top = definition.scale?.[1];
  return top === undefined ? null : `/ ${top}`;
}

/** Is this change an improvement, given which way is good? No change (or unknown) is neutral. */
export function changeTone(good: MetricDefinition['good'], changePct: number | null | undefined): Tone {
  if (typeof changePct !== 'number' || !Number.isFinite(changePct) || changePct === 0) return 'neutral';
  return changePct > 0 === (good === 'up') ? 'good' : 'bad';
}

/**
 * A period's inquiry rate over fewer orders than this swings too much to read (3 inquiries on
 * 4 orders is 75 %): the rate chart leaves such periods out and says so.
 */
export const MIN_ORDERS_FOR_RATE = 10;

/** The series with `inquiryRate` null where the period had too few orders. */
export function readableRates<T extends { orders: number; inquiryRate: number | null }>(series: T[]): T[] {
  return series.map((p) => (p.orders >= MIN_ORDERS_FOR_RATE ? p : { ...p, inquiryRate: null }));
}
