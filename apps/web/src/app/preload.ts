import type { QueryClient } from '@tanstack/react-query';
import { lazy, type ComponentType } from 'react';
import { DASHBOARD_PAGES, firstRequests, takeFirstRequests, type DashboardPage } from './firstRequests';

type PageModule = { default: ComponentType };

/**
 * A page in its own chunk. Its component is React.lazy, except that once the chunk is in
 * (preloaded), it renders at once instead of suspending: React 19 holds content that replaces
 * a Suspense fallback until 300 ms after the fallback appeared, so a page that suspends even
 * for a moment would show its data up to 300 ms late.
 */
function lazyPage(importer: () => Promise<unknown>) {
  let module: PageModule | undefined;
  let loading: Promise<PageModule> | undefined;
  const load = () =>
    (loading ??= (importer() as Promise<PageModule>).then(
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

/** The lazily loaded dashboard pages (routes.tsx renders their `Component`). */
export const PAGES = {
  wismo: lazyPage(DASHBOARD_PAGES.wismo.load),
  inquiries: lazyPage(DASHBOARD_PAGES.inquiries.load),
  fulfillment: lazyPage(DASHBOARD_PAGES.fulfillment.load),
  atRisk: lazyPage(DASHBOARD_PAGES.atRisk.load),
};

const LAZY = new Map<DashboardPage, ReturnType<typeof lazyPage>>(
  (Object.keys(PAGES) as (keyof typeof PAGES)[]).map((name) => [DASHBOARD_PAGES[name], PAGES[name]]),
);

/**
 * On the first load of a dashboard page, hands the app the requests the entry script already
 * sent (src/main.tsx), or sends them now: `/auth/me`, the page's code and its data at once
 * (app/firstRequests.ts). Returns the page code's load, which the app does not wait for (tests
 * do, so that no import is left running when they end).
 */
export function preloadPage(client: QueryClient, location: { pathname: string; search: string }): Promise<unknown> {
  const requests = takeFirstRequests(location) ?? firstRequests(location);
  if (!requests) return Promise.resolve();
  for (const query of requests.queries) void client.prefetchQuery(query);
  return LAZY.get(requests.page)!.load();
}
