import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { isApiError } from '../api/client';
import { api, type AnalyticsQuery } from '../api/endpoints';
import type { Insight } from '../api/types';
import { toAnalyticsQuery, type DashboardFilters } from '../lib/filters';

/**
 * Data hooks of the dashboard. Query keys are stable and hierarchical:
 * ['wismo', storeId, <endpoint>, <query params as a plain object>] so that
 * switching store or view changes the key, and `['wismo', storeId]` invalidates a store.
 * The retry policy is the QueryClient's default (see app/queryClient.ts).
 */

export const DRILLDOWN_PAGE_SIZE = 50;

/** Drops empty values and sorts keys so equal queries always give equal keys. */
export function normalizeQuery(query: AnalyticsQuery): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === undefined || value === null || value === '') continue;
    out[key] = value;
  }
  return out;
}

export const wismoKeys = {
  all: ['wismo'] as const,
  store: (storeId: string) => ['wismo', storeId] as const,
  overview: (storeId: string, q: AnalyticsQuery) => ['wismo', storeId, 'overview', normalizeQuery(q)] as const,
  inquiries: (storeId: string, q: AnalyticsQuery) => ['wismo', storeId, 'inquiries', normalizeQuery(q)] as const,
  fulfillment: (storeId: string, q: AnalyticsQuery) => ['wismo', storeId, 'fulfillment', normalizeQuery(q)] as const,
  satisfaction: (storeId: string, q: AnalyticsQuery) => ['wismo', storeId, 'satisfaction', normalizeQuery(q)] as const,
  insights: (storeId: string, q: AnalyticsQuery) => ['wismo', storeId, 'insights', normalizeQuery(q)] as const,
  drilldown: (storeId: string, kind: 'inquiries' | 'shipments', q: AnalyticsQuery) =>
    ['wismo', storeId, 'drilldown', kind, normalizeQuery(q)] as const,
  timeline: (storeId: string, orderNumber: string) => ['wismo', storeId, 'timeline', orderNumber] as const,
};

/** The overview metrics (the brief's `useWISMOMetrics(storeId, dateRange)`). */
export function useWISMOMetrics(storeId: string, filters: DashboardFilters) {
  const query = toAnalyticsQuery(filters);
  return useQuery({
    queryKey: wismoKeys.overview(storeId, query),
    queryFn: ({ signal }) => api.overview(query, { storeId, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useInquiryTrends(storeId: string, filters: DashboardFilters) {
  const query = toAnalyticsQuery(filters);
  return useQuery({
    queryKey: wismoKeys.inquiries(storeId, query),
    queryFn: ({ signal }) => api.inquiries(query, { storeId, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useFulfillmentMetrics(storeId: string, filters: DashboardFilters) {
  const query = toAnalyticsQuery(filters);
  return useQuery({
    queryKey: wismoKeys.fulfillment(storeId, query),
    queryFn: ({ signal }) => api.fulfillment(query, { storeId, signal }),
    placeholderData: keepPreviousData,
  });
}

export function useSatisfactionMetrics(storeId: string, filters: DashboardFilters) {
  const query = toAnalyticsQuery(filters);
  return useQuery({
    queryKey: wismoKeys.satisfaction(storeId, query),
    queryFn: ({ signal }) => api.satisfaction(query, { storeId, signal }),
    placeholderData: keepPreviousData,
  });
}

/** Insights; `null` when the endpoint is not available (404), which the panel shows as empty. */
export function useInsights(storeId: string, filters: DashboardFilters) {
  const query = toAnalyticsQuery(filters);
  return useQuery({
    queryKey: wismoKeys.insights(storeId, query),
    queryFn: async ({ signal }): Promise<Insight[] | null> => {
      try {
        return await api.insights(query, { storeId, signal });
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** Filters a drill-down adds to the page's filters (API parameter names). */
export type DrillParams = Record<string, string | number | undefined>;

export function useInquiryDrilldown(storeId: string, filters: DashboardFilters, drill: DrillParams, enabled = true) {
  const query: AnalyticsQuery = { ...toAnalyticsQuery(filters), ...drill, limit: DRILLDOWN_PAGE_SIZE };
  return useInfiniteQuery({
    queryKey: wismoKeys.drilldown(storeId, 'inquiries', query),
    queryFn: ({ pageParam, signal }) => api.drilldownInquiries({ ...query, cursor: pageParam }, { storeId, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useShipmentDrilldown(storeId: string, filters: DashboardFilters, drill: DrillParams, enabled = true) {
  const query: AnalyticsQuery = { ...toAnalyticsQuery(filters), ...drill, limit: DRILLDOWN_PAGE_SIZE };
  return useInfiniteQuery({
    queryKey: wismoKeys.drilldown(storeId, 'shipments', query),
    queryFn: ({ pageParam, signal }) => api.drilldownShipments({ ...query, cursor: pageParam }, { storeId, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useOrderTimeline(storeId: string, orderNumber: string) {
  return useQuery({
    queryKey: wismoKeys.timeline(storeId, orderNumber),
    queryFn: ({ signal }) => api.orderTimeline(orderNumber, { storeId, signal }),
    enabled: orderNumber.length > 0,
  });
}
