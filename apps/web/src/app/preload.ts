import type { QueryClient } from '@tanstack/react-query';
import { analyticsQueries as q } from '../hooks/useWISMOMetrics';
import { parseFilters, type DashboardFilters } from '../lib/filters';
import { readStoredStoreId, STORE_PARAM } from './StoreContext';

type Prefetch = (client: QueryClient, storeId: string, filters: DashboardFilters) => void;

interface LazyPage {
  load: () => Promise<unknown>;
  /** The page's first queries, with the keys its hooks build. */
  prefetch: Prefetch;
}

/** The lazily loaded dashboard pages (routes.tsx renders them with `lazy(page.load)`). */
export const PAGES = {
  wismo: {
    load: () => import('../pages/analytics/wismo'),
    prefetch: (client, storeId, filters) => {
      void client.prefetchQuery(q.overview(storeId, filters));
      void client.prefetchQuery(q.inquiries(storeId, filters));
      void client.prefetchQuery(q.insights(storeId, filters));
    },
  },
  inquiries: {
    load: () => import('../pages/analytics/inquiries'),
    prefetch: (client, storeId, filters) => {
      void client.prefetchQuery(q.overview(storeId, filters));
      void client.prefetchQuery(q.inquiries(storeId, filters));
    },
  },
  fulfillment: {
    load: () => import('../pages/analytics/fulfillment'),
    prefetch: (client, storeId, filters) => {
      void client.prefetchQuery(q.overview(storeId, filters));
      void client.prefetchQuery(q.fulfillment(storeId, filters));
      void client.prefetchQuery(q.satisfaction(storeId, filters));
    },
  },
  atRisk: {
    load: () => import('../pages/analytics/atRisk'),
    prefetch: (client, storeId) => void client.prefetchQuery(q.atRisk(storeId)),
  },
} satisfies Record<string, LazyPage>;

const BY_PATH: Record<string, LazyPage> = {
  '/': PAGES.wismo,
  '/analytics': PAGES.wismo,
  '/analytics/wismo': PAGES.wismo,
  '/analytics/wismo/inquiries': PAGES.inquiries,
  '/analytics/wismo/fulfillment': PAGES.fulfillment,
  '/analytics/wismo/at-risk': PAGES.atRisk,
};

/**
 * On the first load of a dashboard page, starts its code and its data at once, instead of
 * after `/auth/me` (which the layout waits for before rendering the page). The store is the
 * one the page will pick when it is still valid: the URL's, else the last one used here; with
 * neither (a first visit), the data waits for `/auth/me` as before. A guess that is no longer
 * one of the user's stores only costs a 404 nobody reads; without a session, the 401 sends
 * the browser to the login page as any query's would.
 */
export function preloadPage(client: QueryClient, { pathname, search }: { pathname: string; search: string }): void {
  const page = BY_PATH[pathname.replace(/\/+$/, '') || '/'];
  if (!page) return;
  void page.load();
  const storeId = new URLSearchParams(search).get(STORE_PARAM) ?? readStoredStoreId();
  if (!storeId) return;
  void client.prefetchQuery(q.alerts(storeId));
  page.prefetch(client, storeId, parseFilters(search));
}
