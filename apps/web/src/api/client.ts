import type { Problem } from './types';

/** An API failure: the RFC 9457 problem document, or a stand-in for network errors (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly type: string | undefined;

  constructor(status: number, title: string, detail?: string, type?: string) {
    super(detail ? `${title}: ${detail}` : title);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.type = type;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Sent as `X-Store-Id` on store-scoped calls. */
  storeId?: string;
  signal?: AbortSignal;
}

const BASE_URL: string = import.meta.env.VITE_API_BASE_URL ?? '';
export const API_PREFIX = '/api/v1';

export function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `${BASE_URL}${API_PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(response: Response): Promise<ApiError> {
  const fallbackTitle = response.statusText || `HTTP ${response.status}`;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      const problem = (await response.json()) as Problem & { detail?: unknown };
      // FastAPI's own validation errors carry `detail` as a list.
      const detail =
        typeof problem.detail === 'string'
          ? problem.detail
          : problem.detail !== undefined
            ? JSON.stringify(problem.detail)
            : undefined;
      return new ApiError(response.status, problem.title ?? fallbackTitle, detail, problem.type);
    } catch {
      /* fall through */
    }
  }
  return new ApiError(response.status, fallbackTitle);
}

/**
 * The single API client. The session is an httpOnly cookie set by
 * `POST /auth/login`, so requests go with `credentials: 'include'` and no token is stored.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = 'GET', query, body, storeId, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (storeId) headers['X-Store-Id'] = storeId;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'include',
      signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Network error', 'The server could not be reached. Check your connection.');
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A short, human message for any error a query can throw. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.detail ?? error.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
