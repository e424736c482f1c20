import type { QueryClient } from '@tanstack/react-query';
import { lazy, type ComponentType } from 'react';
import { meQuery } from '../hooks/useAuth';
import { analyticsQueries as q } from '../hooks/useWISMOMetrics';
import { parseFilters, type DashboardFilters } from '../lib/filters';
import { readStoredStoreId, STORE_PARAM } from './StoreContext';

type PageModule = { default: ComponentType };
type Prefetch = (client: QueryClient, storeId: string, filters: DashboardFilters) => void;

/**
 * A page in its own chunk. Its component is React.lazy, except that once the chunk is in
 * (preloaded), it renders at once instead of suspending: React 19 holds content that replaces
 * a Suspense fallback until 300 ms after the fallback appeared, so a page that suspends even
 * for a moment would show its data up to 300 ms late.
 */
function lazyPage(importer: () => Promise<PageModule>) {
  let module: PageModule | undefined;
  let loading: Promise<PageModule> | undefined;
  const load = () =>
    (loading ??= importer().then(
      (loaded) => (module = loaded),
      (error: unknown) => {
        loading = undefined; // the next render tries again
        throw error;
      },
    ));
  const Component = lazy(() => {
    if (!module) return load();
    const loaded = module;
    // React.lazy takes any thenable; this one answers at once, so nothing suspends.
    return { then: (resolve: (m: PageModule) => void) => resolve(loaded) } as unknown as Promise<PageModule>;
  });
  return { load, Component };
}

interface LazyPage {
  load: () => Promise<unknown>;
  /** The page's first queries, with the keys its hooks build. */
  prefetch: Prefetch;
}

/** The lazily loaded dashboard pages (routes.tsx renders their `Component`). */
export const PAGES = {
  wismo: {
    ...lazyPage(() => import('../pages/analytics/wismo')),
    prefetch: (client, storeId, filters) => {
      void client.prefetchQuery(q.overview(storeId, filters));
      void client.prefetchQuery(q.inquiries(storeId, filters));
      void client.prefetchQuery(q.insights(storeId, filters));
    },
  },
  inquiries: {
    ...lazyPage(() => import('../pages/analytics/inquiries')),
    prefetch: (client, storeId, filters) => {
      void client.prefetchQuery(q.overview(storeId, filters));
      void client.prefetchQuery(q.inquiries(storeId, filters));
    },
  },
  fulfillment: {
    ...lazyPage(() => import('../pages/analytics/fulfillment')),
    prefetch: (client, storeId, filters) => {
      void client.prefetchQuery(q.overview(storeId, filters));
      void client.prefetchQuery(q.fulfillment(storeId, filters));
      void client.prefetchQuery(q.satisfaction(storeId, filters));
    },
  },
  atRisk: {
    ...lazyPage(() => import('../pages/analytics/atRisk')),
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
 * On the first load of a dashboard page, starts `/auth/me`, the page's code and its data at
 * once, instead of one after the other (the layout waits for `/auth/me` to render the page).
 * The store is the one the page will pick when it is still valid: the URL's, else the last
 * one used here; with neither (a first visit), the data waits for `/auth/me` as before. A guess that is no longer
 * one of the user's stores only costs a 404 nobody reads; without a session, the 401 sends
 * the browser to the login page as any query's would. Returns the page code's load, which the
 * app does not wait for (tests do, so that no import is left running when they end).
 */
export function preloadPage(client: QueryClient, { pathname, search }: { pathname: string; search: string }): Promise<unknown> {
  const page = BY_PATH[pathname.replace(/\/+$/, '') || '/'];
  if (!page) return Promise.resolve();
  void client.prefetchQuery(meQuery); // first: the layout waits for it
  const loaded = page.load();
  const storeId = new URLSearchParams(search).get(STORE_PARAM) ?? readStoredStoreId();
  if (storeId) {
    void client.prefetchQuery(q.alerts(storeId));
    void client.prefetchQuery(q.metricDefinitions(storeId)); // the cards' labels and units
    page.prefetch(client, storeId, parseFilters(search));
  }
  return loaded;
}
