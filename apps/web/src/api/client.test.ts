import { QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient, shouldRetry } from '../app/queryClient';
import { jsonResponse } from '../test/utils';
import { ApiError, apiCall, apiRequest, buildUrl, fillPath } from './client';

afterEach(() => vi.unstubAllGlobals());

describe('apiRequest', () => {
  it('turns problem+json into an ApiError', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(
        jsonResponse(
          { type: 'https://wismo.dev/problems/not-found', title: 'Not Found', status: 404, detail: 'Order 1001 not found' },
          404,
          'application/problem+json',
        ),
      ),
    );
    const error = await apiRequest('/api/v1/orders/1001/timeline', { storeId: 's1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, title: 'Not Found', detail: 'Order 1001 not found', type: 'https://wismo.dev/problems/not-found' });
  });

  it('falls back to the status text without a JSON body', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(apiRequest('/api/v1/auth/me')).rejects.toMatchObject({ status: 502, title: 'Bad Gateway' });
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(apiRequest('/api/v1/auth/me')).rejects.toMatchObject({ status: 0, title: 'Network error' });
  });

  it('sends JSON, the store header and the session cookie', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await apiRequest('/api/v1/auth/login', { method: 'POST', body: { email: 'a@b.c', password: 'x' }, storeId: 's1' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/v1/auth/login');
    expect(init).toMatchObject({
      method: 'POST',
      credentials: 'include',
      body: '{"email":"a@b.c","password":"x"}',
      headers: { 'Content-Type': 'application/json', 'X-Store-Id': 's1', Accept: 'application/json' },
    });
  });

  it('drops empty query parameters', () => {
    expect(buildUrl('/api/v1/x', { a: '1', b: undefined, c: null, d: '', e: 0 })).toBe('/api/v1/x?a=1&e=0');
  });

  it('repeats a parameter for each value of a list', () => {
    expect(buildUrl('/api/v1/x', { outcome: ['open', 'escalated'], t: [], limit: 50 })).toBe(
      '/api/v1/x?outcome=open&outcome=escalated&limit=50',
    );
  });
});

describe('apiCall (typed by the generated schema)', () => {
  it('fills and encodes path parameters, sends the query and the method', async () => {
    const fetchMock = vi.fn().mockImplementation(() => Promise.resolve(jsonResponse({ orderNumber: 'A/1 #2', events: [] })));
    vi.stubGlobal('fetch', fetchMock);
    const timeline = await apiCall('get', '/api/v1/orders/{order_number}/timeline', {
      path: { order_number: 'A/1 #2' },
      storeId: 's1',
    });
    expect(timeline.orderNumber).toBe('A/1 #2');
    expect(fetchMock.mock.calls[0]![0]).toBe('/api/v1/orders/A%2F1%20%232/timeline');

    await apiCall('get', '/api/v1/analytics/wismo/at-risk', { query: { limit: 5 }, storeId: 's1' });
    expect(fetchMock.mock.calls[1]![0]).toBe('/api/v1/analytics/wismo/at-risk?limit=5');

    await apiCall('post', '/api/v1/alerts/{alert_id}/acknowledge', { path: { alert_id: 'a1' }, storeId: 's1' });
    expect(fetchMock.mock.calls[2]![0]).toBe('/api/v1/alerts/a1/acknowledge');
    expect(fetchMock.mock.calls[2]![1].method).toBe('POST');
  });

  it('refuses a path with a missing parameter', () => {
    expect(() => fillPath('/api/v1/orders/{order_number}/timeline', {})).toThrow(/order_number/);
  });

  it('rejects what the schema does not have (compile-time checks)', () => {
    // These lines only have to type-check as errors; they never run.
    const never = (): void => {
      // @ts-expect-error: no such route in the OpenAPI document
      void apiCall('get', '/api/v1/analytics/wismo/nope');
      // @ts-expect-error: the timeline needs its path parameter
      void apiCall('get', '/api/v1/orders/{order_number}/timeline', { storeId: 's1' });
      // @ts-expect-error: `date_range` only takes the named ranges
      void apiCall('get', '/api/v1/analytics/wismo/overview', { query: { date_range: '1y' } });
      // @ts-expect-error: a field the response does not have
      void apiCall('get', '/api/v1/auth/me').then((me) => me.token);
    };
    expect(typeof never).toBe('function');
  });
});

describe('query policy', () => {
  it('retries server and network errors, not client errors', () => {
    expect(shouldRetry(0, new ApiError(503, 'Unavailable'))).toBe(true);
    expect(shouldRetry(0, new ApiError(0, 'Network error'))).toBe(true);
    expect(shouldRetry(0, new ApiError(429, 'Too Many Requests'))).toBe(true);
    expect(shouldRetry(0, new ApiError(404, 'Not Found'))).toBe(false);
    expect(shouldRetry(0, new ApiError(401, 'Unauthorized'))).toBe(false);
    expect(shouldRetry(2, new ApiError(503, 'Unavailable'))).toBe(false);
  });

  it('reports a 401 once through the QueryCache', async () => {
    const onUnauthorized = vi.fn();
    const client = createQueryClient({ onUnauthorized, retry: false });
    const observer = new QueryObserver(client, {
      queryKey: ['x'],
      queryFn: () => Promise.reject(new ApiError(401, 'Unauthorized')),
    });
    const unsubscribe = observer.subscribe(() => {});
    await vi.waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    await client.fetchQuery({ queryKey: ['y'], queryFn: () => Promise.reject(new ApiError(500, 'x')) }).catch(() => {});
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    unsubscribe();
  });
});
