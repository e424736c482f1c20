import { apiRequest, type QueryValue } from './client';
import type {
  CurrentStore,
  FulfillmentMetrics,
  InquiryPage,
  InquiryTrends,
  Insight,
  LoginRequest,
  LoginResponse,
  Me,
  OrderTimeline,
  Overview,
  SatisfactionMetrics,
  ShipmentPage,
} from './types';

/** Query parameters of the analytics endpoints, already in the API's snake_case. */
export type AnalyticsQuery = Record<string, QueryValue>;

interface Scoped {
  storeId: string;
  signal?: AbortSignal;
}

const WISMO = '/analytics/wismo';

export const api = {
  login: (body: LoginRequest) => apiRequest<LoginResponse>('/auth/login', { method: 'POST', body }),
  logout: () => apiRequest<void>('/auth/logout', { method: 'POST' }),
  me: (signal?: AbortSignal) => apiRequest<Me>('/auth/me', { signal }),
  currentStore: ({ storeId, signal }: Scoped) => apiRequest<CurrentStore>('/stores/current', { storeId, signal }),

  overview: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<Overview>(`${WISMO}/overview`, { query, ...opts }),
  inquiries: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<InquiryTrends>(`${WISMO}/inquiries`, { query, ...opts }),
  fulfillment: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<FulfillmentMetrics>(`${WISMO}/fulfillment`, { query, ...opts }),
  satisfaction: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<SatisfactionMetrics>(`${WISMO}/satisfaction`, { query, ...opts }),
  insights: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<Insight[]>(`${WISMO}/insights`, { query, ...opts }),
  drilldownInquiries: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<InquiryPage>(`${WISMO}/drilldown/inquiries`, { query, ...opts }),
  drilldownShipments: (query: AnalyticsQuery, opts: Scoped) =>
    apiRequest<ShipmentPage>(`${WISMO}/drilldown/shipments`, { query, ...opts }),

  orderTimeline: (orderNumber: string, opts: Scoped) =>
    apiRequest<OrderTimeline>(`/orders/${encodeURIComponent(orderNumber)}/timeline`, opts),
};
