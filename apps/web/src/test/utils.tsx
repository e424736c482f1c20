import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import type { MetricDefinition, StoreMembership } from '../api/types';
import { createQueryClient } from '../app/queryClient';
import { metricDefinitionsKey } from '../api/queries';
import { StoreProvider } from '../app/StoreContext';
import { FormatProvider, type FormatSettings } from '../lib/formatContext';
import served from './metricDefinitions.json';

/** `GET /api/v1/analytics/wismo/metrics` as the backend serves it. */
export const METRIC_DEFINITIONS = served as MetricDefinition[];
export const DEFINITIONS: Record<string, MetricDefinition> = Object.fromEntries(METRIC_DEFINITIONS.map((d) => [d.key, d]));

export const NY: FormatSettings = { locale: 'en-US', timeZone: 'America/New_York', currency: 'USD' };

export const STORE: StoreMembership = { id: 'store-1', name: 'Northwind', timezone: 'America/New_York', currency: 'USD', role: 'owner' };

/**
 * Renders with a fresh QueryClient (no retries), a router and the store formatting settings;
 * with `stores`, inside the StoreProvider too (components that call useStore()). The metric
 * definitions are in the cache already, as after the preload of a page.
 */
export function renderWithApp(
  ui: ReactElement,
  { format = NY, route = '/', stores, ...options }: { format?: FormatSettings; route?: string; stores?: StoreMembership[] } & RenderOptions = {},
) {
  const queryClient = createQueryClient({ retry: false });
  queryClient.setQueryData(metricDefinitionsKey, METRIC_DEFINITIONS);
  const Wrapper = ({ children }: { children: ReactNode }) => (
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[route]}>
        <FormatProvider value={format}>{stores ? <StoreProvider stores={stores}>{children}</StoreProvider> : children}</FormatProvider>
      </MemoryRouter>
    </QueryClientProvider>
  );
  return { queryClient, ...render(ui, { wrapper: Wrapper, ...options }) };
}

export function jsonResponse(body: unknown, status = 200, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': contentType } });
}

export function metric(value: number | null, previous: number | null = null, changePct: number | null = null) {
  return { value, previous, changePct };
}

/** A request the API client sent to a stubbed `fetch` (it passes one `Request` per call). */
export interface SentRequest {
  /** Path and query, as the OpenAPI document spells the path. */
  url: string;
  method: string;
  credentials: RequestCredentials;
  headers: Headers;
  request: Request;
}

export function sent(call: readonly unknown[] | undefined): SentRequest {
  const request = call?.[0];
  if (!(request instanceof Request)) throw new Error('fetch was not called with a Request');
  const url = new URL(request.url);
  return { url: url.pathname + url.search, method: request.method, credentials: request.credentials, headers: request.headers, request };
}

/** The path and query of every request a stubbed `fetch` received, in order. */
export function sentUrls(fetchMock: { mock: { calls: readonly (readonly unknown[])[] } }): string[] {
  return fetchMock.mock.calls.map((call) => sent(call).url);
}
