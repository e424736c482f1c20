import { QueryObserver } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQueryClient, shouldRetry } from '../app/queryClient';
import { jsonResponse } from '../test/utils';
import { ApiError, apiRequest, buildUrl } from './client';

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
    const error = await apiRequest('/orders/1001/timeline', { storeId: 's1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, title: 'Not Found', detail: 'Order 1001 not found', type: 'https://wismo.dev/problems/not-found' });
  });

  it('falls back to the status text without a JSON body', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('<html>', { status: 502, statusText: 'Bad Gateway' })));
    await expect(apiRequest('/auth/me')).rejects.toMatchObject({ status: 502, title: 'Bad Gateway' });
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(apiRequest('/auth/me')).rejects.toMatchObject({ status: 0, title: 'Network error' });
  });

  it('sends JSON, the store header and the session cookie', async () => {
    const fetchMock = vi.fn().mockResolvedValue(jsonResponse({ ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await apiRequest('/auth/login', { method: 'POST', body: { email: 'a@b.c', password: 'x' }, storeId: 's1' });
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
    expect(buildUrl('/x', { a: '1', b: undefined, c: null, d: '', e: 0 })).toBe('/api/v1/x?a=1&e=0');
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
