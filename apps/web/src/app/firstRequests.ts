import { analyticsQueries as q, meQuery } from '../api/queries';
import { parseFilters, type DashboardFilters } from '../lib/filters';
import { readStoredStoreId, STORE_PARAM } from './storedStore';

/** A query as React Query takes it: its key and its fetcher (and any options). */
export interface FirstQuery {
  queryKey: readonly unknown[];
  queryFn: (context: { signal?: AbortSignal }) => Promise<unknown>;
  staleTime?: number;
  gcTime?: number;
}

export interface DashboardPage {
  /** The page's code (its own chunk). */
  load: () => Promise<unknown>;
  /** The page's first queries, with the keys its hooks build. */
  queries: (storeId: string, filters: DashboardFilters) => FirstQuery[];
}

/*
 * The dashboard pages whose code and data a cold load asks for at once. No React here (nor in
 * what this imports): this module runs from the small entry script (src/main.tsx), before the
 * React bundle has arrived.
 */
export const DASHBOARD_PAGES = {
  wismo: {
    load: () => import('../pages/analytics/wismo'),
    queries: (storeId, filters) => [q.overview(storeId, filters), q.inquiries(storeId, filters), q.insights(storeId, filters)],
  },
  inquiries: {
    load: () => import('../pages/analytics/inquiries'),
    queries: (storeId, filters) => [q.overview(storeId, filters), q.inquiries(storeId, filters)],
  },
  fulfillment: {
    load: () => import('../pages/analytics/fulfillment'),
    queries: (storeId, filters) => [q.overview(storeId, filters), q.fulfillment(storeId, filters), q.satisfaction(storeId, filters)],
  },
  atRisk: {
    load: () => import('../pages/analytics/atRisk'),
    queries: (storeId) => [q.atRisk(storeId)],
  },
} satisfies Record<string, DashboardPage>;

const BY_PATH: Record<string, DashboardPage> = {
  '/': DASHBOARD_PAGES.wismo,
  '/analytics': DASHBOARD_PAGES.wismo,
  '/analytics/wismo': DASHBOARD_PAGES.wismo,
  '/analytics/wismo/inquiries': DASHBOARD_PAGES.inquiries,
  '/analytics/wismo/fulfillment': DASHBOARD_PAGES.fulfillment,
  '/analytics/wismo/at-risk': DASHBOARD_PAGES.atRisk,
};

type Location = { pathname: string; search: string };

export interface FirstRequests {
  page: DashboardPage;
  /** `/auth/me` first (the layout waits for it), then the page's data, when the store is known. */
  queries: FirstQuery[];
}

/**
 * What a cold load of this address asks for at once: `/auth/me`, the page's code and its data,
 * instead of one after the other. The store is the one the page will pick when it is still
 * valid: the URL's, else the last one used here; with neither (a first visit), the data waits
 * for `/auth/me`. A guess that is no longer one of the user's stores only costs a 404 nobody
 * reads; without a session, the 401 sends the browser to the login page as any query's would.
 * Off the dashboard (login, survey, settings), nothing.
 */
export function firstRequests({ pathname, search }: Location): FirstRequests | undefined {
  const page = BY_PATH[pathname.replace(/\/+$/, '') || '/'];
  if (!page) return undefined;
  const storeId = new URLSearchParams(search).get(STORE_PARAM) ?? readStoredStoreId();
  const queries: FirstQuery[] = [meQuery];
  if (storeId) {
    // The cards' labels and units, and the open alerts, are on every dashboard page.
    queries.push(q.metricDefinitions(storeId), q.alerts(storeId), ...page.queries(storeId, parseFilters(search)));
  }
  return { page, queries };
}

let started: { address: string; requests: FirstRequests } | undefined;

/**
 * Sends the first requests of this address now, from the entry script, so that they leave while
 * the React bundle is still arriving. Each query's first fetch is the one already in flight
 * (retries and refetches fetch anew); `takeFirstRequests` hands them to the app once.
 */
export function sendFirstRequests(location: Location): void {
  const requests = firstRequests(location);
  if (!requests) return;
  const queries = requests.queries.map((query): FirstQuery => {
    const inFlight = query.queryFn({});
    inFlight.catch(() => undefined); // its failure is the query's, reported when the app takes it
    let taken = false;
    return {
      ...query,
      queryFn: (context) => {
        if (taken) return query.queryFn(context);
        taken = true;
        return inFlight;
      },
    };
  });
  started = { address: location.pathname + location.search, requests: { page: requests.page, queries } };
  void requests.page.load(); // after the data requests: preparing the import takes a while
}

/** The requests `sendFirstRequests` sent for this address (once), else none. */
export function takeFirstRequests({ pathname, search }: Location): FirstRequests | undefined {
  const sent = started?.address === pathname + search ? started.requests : undefined;
  started = undefined;
  return sent;
}
