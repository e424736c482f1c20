import { keepPreviousData, queryOptions, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/client';
import { api, type InquiryDrillQuery, type ShipmentDrillQuery } from '../api/endpoints';
import type { Alert, AtRiskList, Insight, MetricDefinition } from '../api/types';
import { overviewQuery, rangeQuery, toAnalyticsQuery, type DashboardFilters } from '../lib/filters';
import { usePollInterval } from './liveContext';

/**
 * Data hooks of the dashboard. Query keys are stable and hierarchical:
 * ['wismo', storeId, <endpoint>, <query params as a plain object>] so that
 * switching store or view changes the key, and `['wismo', storeId]` invalidates a store.
 * The retry policy is the QueryClient's default (see app/queryClient.ts). Each endpoint's key
 * holds only the parameters that endpoint takes (the overview has no group_by, insights only
 * the range), so changing the interval does not refetch the cards.
 *
 * Live updates (hooks/useLiveUpdates.ts) invalidate these keys; while the live connection is
 * down or degraded, `usePollInterval()` makes the analytics queries poll instead.
 */

export const DRILLDOWN_PAGE_SIZE = 50;

/** Drops empty values and sorts keys so equal queries always give equal keys. */
export function normalizeQuery(query: object): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  const entries = query as Record<string, string | number | boolean | null | undefined>;
  for (const key of Object.keys(entries).sort()) {
    const value = entries[key];
    if (value === undefined || value === null || value === '') continue;
    out[key] = value;
  }
  return out;
}

/** The range-bound analytics endpoints (their key's last element holds the range params). */
export const RANGED_ENDPOINTS = ['overview', 'inquiries', 'fulfillment', 'satisfaction', 'insights'] as const;
export type RangedEndpoint = (typeof RANGED_ENDPOINTS)[number];

export const wismoKeys = {
  all: ['wismo'] as const,
  store: (storeId: string) => ['wismo', storeId] as const,
  ranged: (storeId: string, endpoint: RangedEndpoint, q: object) => ['wismo', storeId, endpoint, normalizeQuery(q)] as const,
  overview: (storeId: string, q: object) => wismoKeys.ranged(storeId, 'overview', q),
  inquiries: (storeId: string, q: object) => wismoKeys.ranged(storeId, 'inquiries', q),
  fulfillment: (storeId: string, q: object) => wismoKeys.ranged(storeId, 'fulfillment', q),
  satisfaction: (storeId: string, q: object) => wismoKeys.ranged(storeId, 'satisfaction', q),
  insights: (storeId: string, q: object) => wismoKeys.ranged(storeId, 'insights', q),
  drilldowns: (storeId: string) => ['wismo', storeId, 'drilldown'] as const,
  drilldown: (storeId: string, kind: 'inquiries' | 'shipments', q: object) =>
    ['wismo', storeId, 'drilldown', kind, normalizeQuery(q)] as const,
  timelines: (storeId: string) => ['wismo', storeId, 'timeline'] as const,
  timeline: (storeId: string, orderNumber: string) => ['wismo', storeId, 'timeline', orderNumber] as const,
  atRisk: (storeId: string, limit: number) => ['wismo', storeId, 'at-risk', limit] as const,
  alerts: (storeId: string) => ['wismo', storeId, 'alerts'] as const,
  /** `q` from `conversationsQuery`, whose lists are already in a fixed order. */
  conversations: (storeId: string, q: object) => ['wismo', storeId, 'conversations', q] as const,
  conversation: (storeId: string, conversationId: string) => ['wismo', storeId, 'conversation', conversationId] as const,
};

/** `null` when the server has no such route yet (404): the caller shows "not available". */
async function orNullOn404<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (isApiError(error) && error.status === 404) return null;
    throw error;
  }
}

/** The registry's definitions by API field name (`inquiryRate`). */
export type MetricDefinitions = Partial<Record<string, MetricDefinition>>;

/** The same for every store and fixed for a deployment: asked for once per session. */
export const metricDefinitionsKey = ['metric-definitions'] as const;

function byKey(definitions: MetricDefinition[]): MetricDefinitions {
  return Object.fromEntries(definitions.map((d) => [d.key, d]));
}

export const AT_RISK_PAGE = 50;
export const AT_RISK_MAX = 500;

/*
 * Key and fetcher of each query, shared by the hooks below and by the preload of a cold page
 * load (app/preload.ts), which must build exactly the keys the hooks will ask for.
 */
export const analyticsQueries = {
  /** Label, unit and good direction of every metric, from the backend's registry. */
  metricDefinitions: (storeId: string) =>
    queryOptions({
      queryKey: metricDefinitionsKey,
      queryFn: ({ signal }) => api.metricDefinitions({ storeId, signal }),
      staleTime: Infinity,
      gcTime: Infinity,
    }),
  overview: (storeId: string, filters: DashboardFilters) => {
    const query = overviewQuery(filters);
    return queryOptions({
      queryKey: wismoKeys.overview(storeId, query),
      queryFn: ({ signal }) => api.overview(query, { storeId, signal }),
    });
  },
  inquiries: (storeId: string, filters: DashboardFilters) => {
    const query = toAnalyticsQuery(filters);
    return queryOptions({
      queryKey: wismoKeys.inquiries(storeId, query),
      queryFn: ({ signal }) => api.inquiries(query, { storeId, signal }),
    });
  },
  fulfillment: (storeId: string, filters: DashboardFilters) => {
    const query = toAnalyticsQuery(filters);
    return queryOptions({
      queryKey: wismoKeys.fulfillment(storeId, query),
      queryFn: ({ signal }) => api.fulfillment(query, { storeId, signal }),
    });
  },
  satisfaction: (storeId: string, filters: DashboardFilters) => {
    const query = toAnalyticsQuery(filters);
    return queryOptions({
      queryKey: wismoKeys.satisfaction(storeId, query),
      queryFn: ({ signal }) => api.satisfaction(query, { storeId, signal }),
    });
  },
  /** Insights; `null` when the endpoint is not available (404), which the panel shows as empty. */
  insights: (storeId: string, filters: DashboardFilters) => {
    const query = rangeQuery(filters);
    return queryOptions({
      queryKey: wismoKeys.insights(storeId, query),
      queryFn: ({ signal }): Promise<Insight[] | null> => orNullOn404(api.insights(query, { storeId, signal })),
    });
  },
  /** The at-risk watchlist (not range-bound); `null` when the backend route is missing. */
  atRisk: (storeId: string, limit = AT_RISK_PAGE) =>
    queryOptions({
      queryKey: wismoKeys.atRisk(storeId, limit),
      queryFn: ({ signal }): Promise<AtRiskList | null> => orNullOn404(api.atRisk(limit, { storeId, signal })),
    }),
  /** Open alerts; `null` when the backend route is missing. */
  alerts: (storeId: string) =>
    queryOptions({
      queryKey: wismoKeys.alerts(storeId),
      queryFn: ({ signal }): Promise<Alert[] | null> => orNullOn404(api.alerts({ storeId, signal })),
    }),
};

export function useMetricDefinitions(storeId: string) {
  return useQuery({ ...analyticsQueries.metricDefinitions(storeId), select: byKey });
}

/** The overview metrics (the brief's `useWISMOMetrics(storeId, dateRange)`). */
export function useWISMOMetrics(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.overview(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useInquiryTrends(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.inquiries(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useFulfillmentMetrics(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.fulfillment(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useSatisfactionMetrics(storeId: string, filters: DashboardFilters) {
  return useQuery({
    ...analyticsQueries.satisfaction(storeId, filters),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useInsights(storeId: string, filters: DashboardFilters) {
  return useQuery(analyticsQueries.insights(storeId, filters));
}

/** Filters a drill-down adds to the page's filters (the API's parameter names). */
export type DrillParams = Partial<
  Record<Exclude<keyof InquiryDrillQuery | keyof ShipmentDrillQuery, 'cursor' | 'limit'>, string | number | boolean>
>;

export function useInquiryDrilldown(storeId: string, filters: DashboardFilters, drill: DrillParams, enabled = true) {
  const query = { ...toAnalyticsQuery(filters), ...drill, limit: DRILLDOWN_PAGE_SIZE } as InquiryDrillQuery;
  return useInfiniteQuery({
    queryKey: wismoKeys.drilldown(storeId, 'inquiries', query),
    queryFn: ({ pageParam, signal }) => api.drilldownInquiries({ ...query, cursor: pageParam }, { storeId, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export function useShipmentDrilldown(storeId: string, filters: DashboardFilters, drill: DrillParams, enabled = true) {
  // The shipment list takes one carrier (a shipment has one), not the summaries' filter lists.
  const { channel: _c, inquiry_type: _t, carrier: _k, ...base } = toAnalyticsQuery(filters);
  const carrier = filters.carrier ? { carrier: filters.carrier } : {};
  const query = { ...base, ...carrier, ...drill, limit: DRILLDOWN_PAGE_SIZE } as ShipmentDrillQuery;
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
    refetchInterval: usePollInterval(),
  });
}

export function useAtRisk(storeId: string, limit = AT_RISK_PAGE) {
  return useQuery({
    ...analyticsQueries.atRisk(storeId, limit),
    placeholderData: keepPreviousData,
    refetchInterval: usePollInterval(),
  });
}

export function useAlerts(storeId: string) {
  return useQuery({ ...analyticsQueries.alerts(storeId), refetchInterval: usePollInterval() });
}

export function useAcknowledgeAlert(storeId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (alertId: string) => api.acknowledgeAlert(alertId, { storeId }),
    onSuccess: (acknowledged) => {
      queryClient.setQueryData<Alert[] | null>(wismoKeys.alerts(storeId), (alerts) =>
        alerts ? alerts.filter((a) => a.id !== acknowledged.id) : alerts,
      );
      void queryClient.invalidateQueries({ queryKey: wismoKeys.alerts(storeId) });
    },
  });
}
