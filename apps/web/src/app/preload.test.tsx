import { QueryClientProvider } from '@tanstack/react-query';
import { render, renderHook, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useInquiryTrends, useMetricDefinitions, useWISMOMetrics } from '../hooks/useWISMOMetrics';
import { parseFilters } from '../lib/filters';
import { jsonResponse, METRIC_DEFINITIONS, sent } from '../test/utils';
import { sendFirstRequests } from './firstRequests';
import { lazyPage, preloadPage } from './preload';
import { createQueryClient } from './queryClient';
import { STORE_STORAGE_KEY } from './storedStore';

function calls(fetchMock: ReturnType<typeof vi.fn>) {
  return fetchMock.mock.calls.map((call) => {
    const { url, headers } = sent(call);
    return { url, store: headers.get('X-Store-Id') ?? undefined };
  });
}

describe('preloadPage', () => {
  let fetchMock: ReturnType<typeof vi.fn>;
  beforeEach(() => {
    fetchMock = vi.fn((request: Request) =>
      Promise.resolve(jsonResponse(request.url.endsWith('/analytics/wismo/metrics') ? METRIC_DEFINITIONS : {})),
    );
    vi.stubGlobal('fetch', fetchMock);
  });
  afterEach(() => {
    window.localStorage.clear();
    vi.unstubAllGlobals();
  });

  it('asks for the overview page’s data at once, for the store used last, with the hooks’ keys', async () => {
    window.localStorage.setItem(STORE_STORAGE_KEY, 'store-7');
    const client = createQueryClient({ retry: false });
    const search = '?date_range=7d&group_by=week&channel=email';
    await preloadPage(client, { pathname: '/analytics/wismo', search });

    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(6));
    expect(calls(fetchMock)[0]).toEqual({ url: '/api/v1/auth/me', store: undefined });
    expect(calls(fetchMock).sort((a, b) => a.url.localeCompare(b.url))).toEqual([
      { url: '/api/v1/alerts', store: 'store-7' },
      { url: '/api/v1/analytics/wismo/inquiries?date_range=7d&channel=email&group_by=week', store: 'store-7' },
      { url: '/api/v1/analytics/wismo/insights?date_range=7d', store: 'store-7' },
      { url: '/api/v1/analytics/wismo/metrics', store: 'store-7' },
      { url: '/api/v1/analytics/wismo/overview?date_range=7d&channel=email', store: 'store-7' },
      { url: '/api/v1/auth/me', store: undefined },
    ]);

    // The page's hooks find that data under their own keys: no second request.
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const filters = parseFilters(search);
    const { result } = renderHook(
      () => [useWISMOMetrics('store-7', filters), useInquiryTrends('store-7', filters), useMetricDefinitions('store-7')],
      { wrapper },
    );
    await waitFor(() => expect(result.current.every((q) => q.isSuccess)).toBe(true));
    expect(fetchMock).toHaveBeenCalledTimes(6);
  });

  it('prefers the store in the URL, and knows each page’s queries', async () => {
    window.localStorage.setItem(STORE_STORAGE_KEY, 'store-7');
    await preloadPage(createQueryClient({ retry: false }), { pathname: '/analytics/wismo/fulfillment/', search: '?store=store-2' });
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(6));
    expect(calls(fetchMock).map((c) => `${c.store} ${c.url}`).sort()).toEqual([
      'store-2 /api/v1/alerts',
      'store-2 /api/v1/analytics/wismo/fulfillment?date_range=30d&group_by=day',
      'store-2 /api/v1/analytics/wismo/metrics',
      'store-2 /api/v1/analytics/wismo/overview?date_range=30d',
      'store-2 /api/v1/analytics/wismo/satisfaction?date_range=30d&group_by=day',
      'undefined /api/v1/auth/me',
    ]);
  });

  it('waits for /auth/me when the store is unknown (a first visit), and does nothing off the dashboard', async () => {
    await preloadPage(createQueryClient({ retry: false }), { pathname: '/analytics/wismo', search: '' });
    window.localStorage.setItem(STORE_STORAGE_KEY, 'store-7');
    await preloadPage(createQueryClient({ retry: false }), { pathname: '/login', search: '?next=%2F' });
    await preloadPage(createQueryClient({ retry: false }), { pathname: '/survey/abc', search: '' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls(fetchMock)).toEqual([{ url: '/api/v1/auth/me', store: undefined }]);
  });

  it('hands the app the requests the entry script sent: one fetch per address, and a refetch asks again', async () => {
    window.localStorage.setItem(STORE_STORAGE_KEY, 'store-7');
    const location = { pathname: '/analytics/wismo/inquiries', search: '?date_range=90d' };
    sendFirstRequests(location);
    expect(fetchMock).toHaveBeenCalledTimes(5); // sent before any React code ran
    const client = createQueryClient({ retry: false });
    await preloadPage(client, location);
    const filters = parseFilters(location.search);
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => [useWISMOMetrics('store-7', filters), useInquiryTrends('store-7', filters)], { wrapper });
    await waitFor(() => expect(result.current.every((q) => q.isSuccess)).toBe(true));
    expect(calls(fetchMock).map((c) => c.url).sort()).toEqual([
      '/api/v1/alerts',
      '/api/v1/analytics/wismo/inquiries?date_range=90d&group_by=day',
      '/api/v1/analytics/wismo/metrics',
      '/api/v1/analytics/wismo/overview?date_range=90d',
      '/api/v1/auth/me',
    ]);

    await result.current[0]!.refetch();
    expect(calls(fetchMock).filter((c) => c.url === '/api/v1/analytics/wismo/overview?date_range=90d')).toHaveLength(2);
  });

  it('gives the requests sent early to that address only, once', async () => {
    window.localStorage.setItem(STORE_STORAGE_KEY, 'store-7');
    sendFirstRequests({ pathname: '/analytics/wismo/at-risk', search: '' });
    expect(fetchMock).toHaveBeenCalledTimes(4);
    // The router landed elsewhere (a redirect): that page's requests are sent anew.
    await preloadPage(createQueryClient({ retry: false }), { pathname: '/analytics/wismo', search: '' });
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(4 + 6));
    // Nothing is left to hand over: the at-risk page's own first load asks again.
    await preloadPage(createQueryClient({ retry: false }), { pathname: '/analytics/wismo/at-risk', search: '' });
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(4 + 6 + 4));
  });

  it('reports a request sent early that failed as the query’s error', async () => {
    window.localStorage.setItem(STORE_STORAGE_KEY, 'store-7');
    fetchMock.mockImplementation((request: Request) =>
      Promise.resolve(
        request.url.includes('/overview')
          ? jsonResponse({ title: 'Store not found', status: 404, detail: 'No such store' }, 404, 'application/problem+json')
          : jsonResponse({}),
      ),
    );
    const location = { pathname: '/analytics/wismo/inquiries', search: '' };
    sendFirstRequests(location);
    const client = createQueryClient({ retry: false });
    await preloadPage(client, location);
    const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
    const { result } = renderHook(() => useWISMOMetrics('store-7', parseFilters('')), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toMatchObject({ status: 404 });
    expect(calls(fetchMock).filter((c) => c.url.includes('/overview'))).toHaveLength(1);
  });
});

describe('lazyPage', () => {
  const Page = () => <h1>The page</h1>;

  it('shows a loading block until its chunk is in, then the page, and at once once loaded', async () => {
    let arrive!: (module: { default: typeof Page }) => void;
    const importer = vi.fn(() => new Promise<{ default: typeof Page }>((resolve) => (arrive = resolve)));
    const { Component } = lazyPage(importer);
    const first = render(<Component />);
    expect(screen.getByRole('status')).toBeInTheDocument();
    arrive({ default: Page });
    expect(await screen.findByRole('heading', { name: 'The page' })).toBeInTheDocument();
    first.unmount();
    // A later visit renders it in its first render: no loading block, no second import.
    render(<Component />);
    expect(screen.getByRole('heading', { name: 'The page' })).toBeInTheDocument();
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
    expect(importer).toHaveBeenCalledTimes(1);
  });

  it('says so when its chunk cannot be loaded, and tries again on the next visit', async () => {
    const importer = vi
      .fn<() => Promise<{ default: typeof Page }>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch dynamically imported module'))
      .mockResolvedValueOnce({ default: Page });
    const { Component } = lazyPage(importer);
    const first = render(<Component />);
    expect(await screen.findByRole('alert')).toHaveTextContent('This page could not be loaded. Reload the page to try again.');
    first.unmount();
    render(<Component />);
    expect(await screen.findByRole('heading', { name: 'The page' })).toBeInTheDocument();
    expect(importer).toHaveBeenCalledTimes(2);
  });
});
