import type { KudosApiError, KudosConfig, Problem } from './types.js';

export type ApiHeaders = Record<string, string>;

/** Key and identity headers: a verified customer, otherwise the anonymous visitor. */
export function apiHeaders(config: KudosConfig): ApiHeaders {
  const headers: ApiHeaders = { Authorization: `Bearer ${config.key}` };
  if (config.customerId) {
    headers['X-Kudos-Customer'] = config.customerId;
    headers['X-Kudos-Customer-Hash'] = config.customerHash || '';
  } else {
    headers['X-Kudos-Anonymous-Id'] = config.anonymousId;
  }
  return headers;
}

function apiError(status: number, body?: unknown): KudosApiError {
  // Anything that is not a problem document (a proxy's HTML 502, a dropped connection)
  // still reaches callers in the one documented shape.
  const problem: Problem = (body as Problem)?.title
    ? (body as Problem)
    : { type: 'about:blank', title: status ? `HTTP ${status}` : 'Network error', status };
  return Object.assign(new Error(problem.detail || problem.title), { status, problem });
}

/**
 * One call to the API: GET, or POST when there is a body and no method. Resolves the
 * parsed JSON body (undefined when empty); rejects with a KudosApiError: the answer's
 * status and problem document, or status 0 when no answer arrived. `sent`: the same GET,
 * already started (the loader's early requests, sdk/loader.ts), read instead of asked again.
 */
export async function callApi<T>(url: string, headers: ApiHeaders, method?: string, body?: unknown, sent?: Promise<Response>): Promise<T> {
  // Serialised outside the try: a body that cannot be JSON is the caller's bug, not a network error.
  const init: RequestInit =
    body === undefined
      ? { method, headers }
      : {
          method: method || 'POST',
          headers: { ...headers, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        };
  let response: Response;
  try {
    response = await (sent || fetch(url, init));
  } catch {
    throw apiError(0);
  }
  // An empty or non-JSON body (204, a proxy's error page) reads as undefined.
  const data: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw apiError(response.status, data);
  return data as T;
}
