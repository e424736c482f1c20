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

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: object;
  body?: unknown;
  /** Sent as `X-Store-Id` on store-scoped calls. */
  storeId?: string;
  signal?: AbortSignal;
  /** Response body handling: JSON (default) or the raw Response for downloads. */
  accept?: string;
}

const BASE_URL: string = import.meta.env.VITE_API_BASE_URL ?? '';

/**
 * `path` is the full API path (`/api/v1/...`), as the OpenAPI document spells it. A list
 * value repeats its parameter (`outcome=open&outcome=escalated`).
 */
export function buildUrl(path: string, query?: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}) as [string, QueryValue | QueryValue[]][]) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null || item === '') continue;
      params.append(key, String(item));
    }
  }
  const qs = params.toString();
  return `${BASE_URL}${path}${qs ? `?${qs}` : ''}`;
}

/** Fills `{name}` placeholders of an OpenAPI path; a missing value is a programming error. */
export function fillPath(path: string, params?: Record<string, string | number>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${path}`);
    return encodeURIComponent(String(value));
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

/** Sends the request; resolves with the (ok) Response, rejects with an ApiError. */
export async function apiFetch(path: string, options: RequestOptions = {}): Promise<Response> {
  const { method = 'GET', query, body, storeId, signal, accept = 'application/json' } = options;
  const headers: Record<string, string> = { Accept: accept };
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
  return response;
}

/**
 * The untyped request. The session is an httpOnly cookie set by `POST /auth/login`, so
 * requests go with `credentials: 'include'` and no token is stored. Prefer `apiCall`, which
 * types the path, parameters, body and response from the generated schema.
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await apiFetch(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/* ---------- typed by the generated OpenAPI paths ---------- */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;
/** Every path that has an operation for `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

type QueryOfOp<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type PathOfOp<O> = O extends { parameters: { path: infer X } } ? X : never;
type BodyOfOp<O> = O extends { requestBody: { content: { 'application/json': infer B } } }
  ? B
  : O extends { requestBody?: { content: { 'application/json': infer B } } }
    ? B | undefined
    : never;
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : void;
type SuccessOfOp<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : void
  : never;

/** Query parameters of `GET path` (or of another method). */
export type QueryOf<P extends PathsWith<M>, M extends Method = 'get'> = QueryOfOp<Op<P, M>>;
/** The JSON body of a successful response. */
export type ResponseOf<P extends PathsWith<M>, M extends Method = 'get'> = SuccessOfOp<Op<P, M>>;

export type CallOptions<O> = { query?: QueryOfOp<O>; storeId?: string; signal?: AbortSignal } & ([PathOfOp<O>] extends [never]
  ? { path?: undefined }
  : { path: PathOfOp<O> }) &
  ([BodyOfOp<O>] extends [never]
    ? { body?: undefined }
    : undefined extends BodyOfOp<O>
      ? { body?: BodyOfOp<O> }
      : { body: BodyOfOp<O> });
type CallArgs<O> = object extends CallOptions<O> ? [options?: CallOptions<O>] : [options: CallOptions<O>];

/**
 * A call typed end to end by `schema.d.ts`: a path the backend does not have, a wrong
 * parameter or body, or a response field the caller reads that the backend dropped, is a
 * type error.
 */
export function apiCall<M extends Method, P extends PathsWith<M>>(
  method: M,
  path: P,
  ...[options]: CallArgs<Op<P, M>>
): Promise<SuccessOfOp<Op<P, M>>> {
  const { path: pathParams, ...rest } = (options ?? {}) as CallOptions<unknown> & { path?: Record<string, string> };
  return apiRequest(fillPath(path, pathParams), { ...rest, method: method.toUpperCase() as RequestOptions['method'] });
}

/** A short, human message for any error a query can throw. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.detail ?? error.title;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
