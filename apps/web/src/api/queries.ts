import { isApiError } from './client';
import { api } from './endpoints';
import type { Alert, AtRiskList, Insight } from './types';
import { overviewQuery, rangeQuery, toAnalyticsQuery, type DashboardFilters } from '../lib/filters';

/**
 * The keys and fetchers of the dashboard's queries, shared by the hooks and by the first
 * requests of a page load (app/firstRequests.ts). No React here: the first requests leave from a
 * small script that runs before the React bundle is in.
 *
 * Keys are stable and hierarchical: ['wismo', storeId, <endpoint>, <query params as a plain
 * object>] so that switching store or view changes the key, and `['wismo', storeId]`
 * invalidates a store. Each endpoint's key holds only the parameters that endpoint takes (the
 * overview has no group_by, insights only the range), so changing the interval does not refetch
 * the cards.
 */

/** What a query function is given (React Query's context, or nothing for a first request). */
type Fetch = { signal?: AbortSignal };

export const authKeys = { me: ['auth', 'me'] as const };

export const meQuery = {
  queryKey: authKeys.me,
  queryFn: ({ signal }: Fetch) => api.me(signal),
  staleTime: 5 * 60_000,
};

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

/** The same for every store and fixed for a deployment: asked for once per session. */
export const metricDefinitionsKey = ['metric-definitions'] as const;

export const AT_RISK_PAGE = 50;
export const AT_RISK_MAX = 500;

/*
 * Key and fetcher of each query, shared by the hooks (hooks/useWISMOMetrics.ts) and by the
 * first requests of a cold page load (app/firstRequests.ts), which must build exactly the keys
 * the hooks will ask for.
 */
export const analyticsQueries = {
  /** Label, unit and good direction of every metric, from the backend's registry. */
  metricDefinitions: (storeId: string) =>
    ({
      queryKey: metricDefinitionsKey,
      queryFn: ({ signal }: Fetch) => api.metricDefinitions({ storeId, signal }),
      staleTime: Infinity,
      gcTime: Infinity,
    }),
  overview: (storeId: string, filters: DashboardFilters) => {
    const query = overviewQuery(filters);
    return {
      queryKey: wismoKeys.overview(storeId, query),
      queryFn: ({ signal }: Fetch) => api.overview(query, { storeId, signal }),
    };
  },
  inquiries: (storeId: string, filters: DashboardFilters) => {
    const query = toAnalyticsQuery(filters);
    return {
      queryKey: wismoKeys.inquiries(storeId, query),
      queryFn: ({ signal }: Fetch) => api.inquiries(query, { storeId, signal }),
    };
  },
  fulfillment: (storeId: string, filters: DashboardFilters) => {
    const query = toAnalyticsQuery(filters);
    return {
      queryKey: wismoKeys.fulfillment(storeId, query),
      queryFn: ({ signal }: Fetch) => api.fulfillment(query, { storeId, signal }),
    };
  },
  satisfaction: (storeId: string, filters: DashboardFilters) => {
    const query = toAnalyticsQuery(filters);
    return {
      queryKey: wismoKeys.satisfaction(storeId, query),
      queryFn: ({ signal }: Fetch) => api.satisfaction(query, { storeId, signal }),
    };
  },
  /** Insights; `null` when the endpoint is not available (404), which the panel shows as empty. */
  insights: (storeId: string, filters: DashboardFilters) => {
    const query = rangeQuery(filters);
    return {
      queryKey: wismoKeys.insights(storeId, query),
      queryFn: ({ signal }: Fetch): Promise<Insight[] | null> => orNullOn404(api.insights(query, { storeId, signal })),
    };
  },
  /** The at-risk watchlist (not range-bound); `null` when the backend route is missing. */
  atRisk: (storeId: string, limit = AT_RISK_PAGE) =>
    ({
      queryKey: wismoKeys.atRisk(storeId, limit),
      queryFn: ({ signal }: Fetch): Promise<AtRiskList | null> => orNullOn404(api.atRisk(limit, { storeId, signal })),
    }),
  /** Open alerts; `null` when the backend route is missing. */
  alerts: (storeId: string) =>
    ({
      queryKey: wismoKeys.alerts(storeId),
      queryFn: ({ signal }: Fetch): Promise<Alert[] | null> => orNullOn404(api.alerts({ storeId, signal })),
    }),
};
