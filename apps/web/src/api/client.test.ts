import { QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient, shouldRetry } from '../app/queryClient';
import { jsonResponse, sent } from '../test/utils';
import { ApiError, client, dataOf, fillPath, serializeQuery, storeHeader } from './client';

afterEach(() => vi.unstubAllGlobals());

describe('the API client', () => {
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
    const error = await client
      .GET('/api/v1/orders/{order_number}/timeline', { params: { path: { order_number: '1001' } }, headers: storeHeader('s1') })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, title: 'Not Found', detail: 'Order 1001 not found', type: 'https://wismo.dev/problems/not-found' });
  });

  it('falls back to the status text without a JSON body', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(client.GET('/api/v1/auth/me')).rejects.toMatchObject({ status: 502, title: 'Bad Gateway' });
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(client.GET('/api/v1/auth/me')).rejects.toMatchObject({ status: 0, title: 'Network error' });
  });

  it('keeps a cancelled request an AbortError, not an ApiError', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new DOMException('The operation was aborted.', 'AbortError')));
    const error = await client.GET('/api/v1/auth/me').catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ name: 'AbortError' });
  });

  it('sends JSON, the store header and the session cookie', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await client.POST('/api/v1/auth/login', { body: { email: 'a@b.c', password: 'x', returnToken: false }, headers: storeHeader('s1') });
    const request = sent(fetchMock.mock.calls[0]);
    expect(request.url).toBe('/api/v1/auth/login');
    expect(request.method).toBe('POST');
    expect(request.credentials).toBe('include');
    expect(await request.request.text()).toBe('{"email":"a@b.c","password":"x","returnToken":false}');
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.headers.get('X-Store-Id')).toBe('s1');
    expect(request.headers.get('Accept')).toBe('application/json');
  });

  it('drops empty query parameters', () => {
    expect(serializeQuery({ a: '1', b: undefined, c: null, d: '', e: 0 })).toBe('a=1&e=0');
  });

  it('repeats a parameter for each value of a list', () => {
    expect(serializeQuery({ outcome: ['open', 'escalated'], t: [], limit: 50 })).toBe('outcome=open&outcome=escalated&limit=50');
  });
});

describe('calls typed by the generated schema', () => {
  it('fills and encodes path parameters, sends the query and the method', async () => {
    const fetchMock = vi.fn().mockImplementation(() => Promise.resolve(jsonResponse({ orderNumber: 'A/1 #2', events: [] })));
    vi.stubGlobal('fetch', fetchMock);
    const timeline = await dataOf(
      client.GET('/api/v1/orders/{order_number}/timeline', { params: { path: { order_number: 'A/1 #2' } }, headers: storeHeader('s1') }),
    );
    expect(timeline.orderNumber).toBe('A/1 #2');
    expect(sent(fetchMock.mock.calls[0]).url).toBe('/api/v1/orders/A%2F1%20%232/timeline');

    await client.GET('/api/v1/analytics/wismo/at-risk', { params: { query: { limit: 5 } }, headers: storeHeader('s1') });
    expect(sent(fetchMock.mock.calls[1]).url).toBe('/api/v1/analytics/wismo/at-risk?limit=5');

    await client.POST('/api/v1/alerts/{alert_id}/acknowledge', { params: { path: { alert_id: 'a1' } }, headers: storeHeader('s1') });
    expect(sent(fetchMock.mock.calls[2]).url).toBe('/api/v1/alerts/a1/acknowledge');
    expect(sent(fetchMock.mock.calls[2]).method).toBe('POST');
  });

  it('refuses a path with a missing parameter', () => {
    expect(() => fillPath('/api/v1/orders/{order_number}/timeline', {})).toThrow(/order_number/);
  });

  it('rejects what the schema does not have (compile-time checks)', () => {
    // These lines only have to type-check as errors; they never run.
    const never = (): void => {
      // @ts-expect-error: no such route in the OpenAPI document
      void client.GET('/api/v1/analytics/wismo/nope');
      // @ts-expect-error: the timeline needs its path parameter
      void client.GET('/api/v1/orders/{order_number}/timeline', { headers: storeHeader('s1') });
      // @ts-expect-error: `date_range` only takes the named ranges
      void client.GET('/api/v1/analytics/wismo/overview', { params: { query: { date_range: '1y' } } });
      // @ts-expect-error: a field the response does not have
      void dataOf(client.GET('/api/v1/auth/me')).then((me) => me.token);
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
