import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
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

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number | boolean)[];

/**
 * A list value repeats its parameter (`outcome=open&outcome=escalated`); empty values are
 * left out.
 */
export function serializeQuery(query?: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}) as [string, QueryValue | QueryValue[]][]) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === '') continue;
      params.append(key, String(item));
    }
  }
  return params.toString();
}

/** Fills `{name}` placeholders of an OpenAPI path; a missing value is a programming error. */
export function fillPath(path: string, params?: Record<string, unknown>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value as string | number));
  });
}

async function toApiError(response: Response): Promise<ApiError> {
  const fallbackTitle = response.statusText || `HTTP ${response.status}`;
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.includes('json')) {
    try {
      const problem = (await response.json()) as Partial<Problem> & { detail?: unknown };
      // FastAPI's own validation errors carry `detail` as a list.
      const detail =
        typeof problem.detail === 'string'
          ? problem.detail
          : problem.detail !== undefined && problem.detail !== null
            ? JSON.stringify(problem.detail)
            : undefined;
      return new ApiError(response.status, problem.title ?? fallbackTitle, detail, problem.type);
    } catch {
      /* fall through */
    }
  }
  return new ApiError(response.status, fallbackTitle);
}

/** Every failure becomes an ApiError: problem+json responses, and network errors as status 0. */
const problemsAsErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await toApiError(response.clone());
    return undefined;
  },
  onError({ error }) {
    // A cancelled query rejects with its own AbortError (returning nothing keeps it).
    if ((error as { name?: unknown } | null)?.name === 'AbortError') return undefined;
    return new ApiError(0, 'Network error', 'The server could not be reached. Check your connection.');
  },
};

/*
 * Requests are built as `Request` objects, which need an absolute URL outside a browser page;
 * the page's own origin keeps them same-origin.
 */
const BASE_URL: string = import.meta.env.VITE_API_BASE_URL || globalThis.location?.origin || '';

/**
 * The client generated from the OpenAPI document: a path the backend does not have, a wrong
 * parameter or body, or a response field the caller reads that the backend dropped, is a type
 * error. The session is an httpOnly cookie set by `POST /auth/login`, so requests go with
 * `credentials: 'include'` and no token is stored. Failures reject with an ApiError.
 */
export const client = createClient<paths>({
  baseUrl: BASE_URL,
  credentials: 'include',
  headers: { Accept: 'application/json' },
  querySerializer: serializeQuery,
  pathSerializer: fillPath,
  // Looked up per request, not once at start, so that a replaced `fetch` (tests) is used.
  fetch: (request: Request) => globalThis.fetch(request),
});
client.use(problemsAsErrors);

/** `X-Store-Id` for store-scoped calls. */
export function storeHeader(storeId: string): { 'X-Store-Id': string } {
  return { 'X-Store-Id': storeId };
}

/** The body of a successful call (failures already rejected with an ApiError). */
export async function dataOf<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}

/** A short, human message for any error a query can throw. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.detail ?? error.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
