/**
 * API types used by every component.
 *
 * Written by hand from the contract (DESIGN.md section 6) until the backend
 * writes `apps/api/openapi.json`. Once `npm run gen:api` has produced
 * `src/api/schema.d.ts`, switch each interface to a re-export, e.g.
 *
 *   import type { components } from './schema';
 *   export type Overview = components['schemas']['Overview'];
 *
 * Nothing outside this file imports from `schema.d.ts`.
 */

/* ---------- vocabularies (DESIGN.md section 4) ---------- */

export type InquiryType = 'status' | 'tracking' | 'delivery' | 'refund' | 'other';
export type Channel = 'chat' | 'email' | 'phone' | 'social' | 'other';
export type OrderStatus =
  | 'unfulfilled'
  | 'partially_fulfilled'
  | 'fulfilled'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'exception'
  | 'cancelled'
  | 'refunded';
export type ShipmentStatus =
  | 'pending'
  | 'info_received'
  | 'in_transit'
  | 'out_for_delivery'
  | 'failed_attempt'
  | 'available_for_pickup'
  | 'delivered'
  | 'exception'
  | 'returned'
  | 'expired';
export type DateRangeKey = '7d' | '30d' | '90d' | 'custom';
export type GroupBy = 'day' | 'week' | 'month';

/* ---------- auth & stores ---------- */

export interface StoreMembership {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  role: 'owner' | 'analyst' | string;
}

export interface User {
  id: string;
  email: string;
}

export interface Me {
  user: User;
  stores: StoreMembership[];
}

export interface LoginResponse extends Me {
  accessToken: string;
  tokenType: 'bearer' | string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface CurrentStore {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  domain: string | null;
}

/* ---------- analytics ---------- */

export interface AnalyticsRange {
  start: string;
  end: string;
  timezone: string;
  previousStart: string;
  previousEnd: string;
}

export interface MetricValue {
  value: number | null;
  previous: number | null;
  changePct: number | null;
}

export interface Overview {
  range: AnalyticsRange;
  totalInquiries: MetricValue;
  totalOrders: MetricValue;
  inquiryRate: MetricValue;
  repeatInquiryRate: MetricValue;
  avgResolutionSeconds: MetricValue;
  firstContactResolutionRate: MetricValue;
  avgFirstResponseSeconds: MetricValue;
  satisfactionScore: MetricValue;
  csat: MetricValue;
  customerEffortScore: MetricValue;
  avgTimeToShipSeconds: MetricValue;
  onTimeDeliveryRate: MetricValue;
  exceptionRate: MetricValue;
}

export interface Breakdown {
  key: string;
  count: number;
  share: number;
}

export interface InquirySeriesPoint {
  date: string;
  inquiries: number;
  orders: number;
  inquiryRate: number | null;
  repeatInquiries: number;
  resolved: number;
}

export interface PeakHourCell {
  /** 0 = Monday */
  weekday: number;
  hour: number;
  count: number;
}

export interface InquiryTrends {
  range: AnalyticsRange;
  groupBy: GroupBy;
  series: InquirySeriesPoint[];
  byType: Breakdown[];
  byOrderStatus: Breakdown[];
  byChannel: Breakdown[];
  peakHours: PeakHourCell[];
}

export interface DurationStats {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
}

export interface CarrierPerformance {
  carrier: string;
  shipped: number;
  delivered: number;
  onTimeRate: number | null;
  avgTransitSeconds: number | null;
  exceptionRate: number | null;
  inquiries: number;
  inquiriesPerShipment: number | null;
  transit: DurationStats;
}

export interface FulfillmentSeriesPoint {
  date: string;
  shipped: number;
  delivered: number;
  avgTimeToShipSeconds: number | null;
  onTimeRate: number | null;
  exceptionRate: number | null;
}

export interface FulfillmentMetrics {
  range: AnalyticsRange;
  groupBy: GroupBy;
  avgTimeToShipSeconds: number | null;
  onTimeDeliveryRate: number | null;
  avgTransitSeconds: number | null;
  exceptionRate: number | null;
  stages: {
    processing: DurationStats;
    pickup: DurationStats;
    transit: DurationStats;
  };
  carriers: CarrierPerformance[];
  exceptions: Breakdown[];
  series: FulfillmentSeriesPoint[];
}

export interface SatisfactionSeriesPoint {
  date: string;
  ratingCount: number;
  satisfactionScore: number | null;
  csat: number | null;
}

export interface SatisfactionDriver {
  key: string;
  ratingCount: number;
  satisfactionScore: number | null;
  csat: number | null;
}

export interface SatisfactionMetrics {
  range: AnalyticsRange;
  groupBy: GroupBy;
  satisfactionScore: number | null;
  csat: number | null;
  customerEffortScore: number | null;
  ratingCount: number;
  series: SatisfactionSeriesPoint[];
  distribution: { rating: number; count: number }[];
  resolutionBuckets: { label: string; count: number; satisfactionScore: number | null }[];
  resolutionCorrelation: number | null;
  drivers: {
    inquiryType: SatisfactionDriver[];
    carrier: SatisfactionDriver[];
    orderStatus: SatisfactionDriver[];
  };
}

export interface InquiryRow {
  id: string;
  createdAt: string;
  orderNumber: string | null;
  inquiryType: InquiryType | string;
  orderStatus: OrderStatus | string;
  channel: Channel | string;
  carrier: string | null;
  isRepeat: boolean;
  resolved: boolean;
  resolutionSeconds: number | null;
  rating: number | null;
}

export interface InquiryPage {
  items: InquiryRow[];
  nextCursor: string | null;
}

export interface ShipmentRow {
  id: string;
  orderNumber: string;
  carrier: string;
  trackingNumber: string;
  status: ShipmentStatus | string;
  shippedAt: string;
  deliveredAt: string | null;
  estimatedDelivery: string | null;
  originalEstimatedDelivery: string | null;
  exceptionReason: string | null;
}

export interface ShipmentPage {
  items: ShipmentRow[];
  nextCursor: string | null;
}

export interface Insight {
  type: 'warning' | 'opportunity' | 'success';
  title: string;
  description: string;
  recommendation: string;
  impact: 'high' | 'medium' | 'low';
  dataPoints: Record<string, unknown>;
}

/* ---------- orders ---------- */

export type TimelineEventType = 'order' | 'fulfillment' | 'tracking' | 'inquiry' | 'delivery';
export type TimelineEventStatus = 'completed' | 'in_progress' | 'pending' | 'exception';

export interface TimelineEvent {
  id: string;
  timestamp: string;
  type: TimelineEventType;
  title: string;
  description: string;
  location: string | null;
  status: TimelineEventStatus;
}

export interface OrderTimeline {
  orderNumber: string;
  status: string;
  createdAt: string;
  customerName: string | null;
  estimatedDelivery: string | null;
  originalEstimatedDelivery: string | null;
  deliveredAt: string | null;
  events: TimelineEvent[];
}

/** RFC 9457 problem details. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}
