import type { Overview } from '../api/types';
import { formatDuration, formatNumber, formatPercent, formatScore } from './format';

export type OverviewMetricKey = Exclude<keyof Overview, 'range'>;
/** Overview metrics plus the ones only the fulfillment endpoint has. */
export type MetricKey = OverviewMetricKey | 'avgTransitSeconds' | 'ratingCount';

export type MetricKind = 'count' | 'rate' | 'duration' | 'score5' | 'score7';
export type Direction = 'up' | 'down';
export type Tone = 'good' | 'bad' | 'neutral';

export interface MetricDef {
  label: string;
  kind: MetricKind;
  /** Which way is an improvement. */
  good: Direction;
  help: string;
}

export const METRICS: Record<MetricKey, MetricDef> = {
  totalInquiries: { label: 'Total inquiries', kind: 'count', good: 'down', help: 'Order-status questions received in the period.' },
  totalOrders: { label: 'Total orders', kind: 'count', good: 'up', help: 'Orders placed in the period.' },
  inquiryRate: { label: 'Inquiry rate', kind: 'rate', good: 'down', help: 'Inquiries per order.' },
  repeatInquiryRate: { label: 'Repeat inquiry rate', kind: 'rate', good: 'down', help: 'Share of inquiries about an order already asked about in the 7 days before.' },
  avgResolutionSeconds: { label: 'Avg resolution time', kind: 'duration', good: 'down', help: 'Mean time from inquiry to resolution.' },
  firstContactResolutionRate: { label: 'First-contact resolution', kind: 'rate', good: 'up', help: 'Resolved inquiries not escalated and not followed up within 7 days.' },
  avgFirstResponseSeconds: { label: 'Avg first response', kind: 'duration', good: 'down', help: 'Mean time to the first reply.' },
  satisfactionScore: { label: 'Satisfaction score', kind: 'score5', good: 'up', help: 'Mean rating, 1 to 5.' },
  csat: { label: 'CSAT', kind: 'rate', good: 'up', help: 'Share of ratings of 4 or 5.' },
  customerEffortScore: { label: 'Customer effort', kind: 'score7', good: 'down', help: 'Mean effort, 1 (easy) to 7 (hard).' },
  avgTimeToShipSeconds: { label: 'Avg time to ship', kind: 'duration', good: 'down', help: 'Mean time from order to first shipment.' },
  onTimeDeliveryRate: { label: 'On-time delivery', kind: 'rate', good: 'up', help: 'Delivered by the original estimate.' },
  exceptionRate: { label: 'Exception rate', kind: 'rate', good: 'down', help: 'Shipments that hit an exception or failed attempt.' },
  avgTransitSeconds: { label: 'Avg transit time', kind: 'duration', good: 'down', help: 'Mean time from shipping to delivery.' },
  ratingCount: { label: 'Ratings', kind: 'count', good: 'up', help: 'Inquiries rated by the customer.' },
};

export function formatMetric(key: MetricKey, value: number | null | undefined, locale?: string): string {
  switch (METRICS[key].kind) {
    case 'count':
      return formatNumber(value, locale);
    case 'rate':
      return formatPercent(value, locale);
    case 'duration':
      return formatDuration(value, locale);
    case 'score5':
    case 'score7':
      return formatScore(value, locale);
  }
}

/** Is this change an improvement for that metric? No change (or unknown) is neutral. */
export function changeTone(key: MetricKey, changePct: number | null | undefined): Tone {
  if (typeof changePct !== 'number' || !Number.isFinite(changePct) || changePct === 0) return 'neutral';
  const up = changePct > 0;
  return up === (METRICS[key].good === 'up') ? 'good' : 'bad';
}
