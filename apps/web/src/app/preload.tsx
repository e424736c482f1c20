import type { QueryClient } from '@tanstack/react-query';
import type { ComponentType } from 'react';
import { LoadingBlock } from '../components/ui/Skeleton';
import { lazyModule, useLazyModule } from '../hooks/useLazyModule';
import { DASHBOARD_PAGES, firstRequests, takeFirstRequests, type DashboardPage } from './firstRequests';

type PageModule = { default: ComponentType };

/**
 * A page in its own chunk, rendered as soon as its chunk is in (not with React.lazy: see
 * useLazyModule; on a cold load the chunk arrives with the data, just after the first render).
 * Until then, a loading block; if the chunk cannot be loaded, a message.
 */
export function lazyPage(importer: () => Promise<unknown>) {
  const page = lazyModule(importer as () => Promise<PageModule>);
  function Component() {
    const { module: loaded, failed } = useLazyModule(page);
    if (loaded) return <loaded.default />;
    if (failed) {
      return (
        <p role="alert" className="p-6 text-sm text-slate-600">
          This page could not be loaded. Reload the page to try again.
        </p>
      );
    }
    return <LoadingBlock className="h-96" />;
  }
  return { load: page.load, Component };
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
