// The console's only way to the API: same origin, the secret key from sessionStorage.
const KEY = 'kudos-console-key';

export const session = {
  get: () => sessionStorage.getItem(KEY),
  set: (key: string) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

export interface ApiResult<T = unknown> {
  ok: boolean;
  status: number;
  /** The JSON body: the data, or the problem+json. */
  data: T;
}

export async function api<T = any>(path: string, init: { method?: string; body?: unknown; key?: string } = {}): Promise<ApiResult<T>> {
  const key = init.key ?? session.get() ?? '';
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, status: 0, data: undefined as T };
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  return { ok: response.ok, status: response.status, data: data as T };
}

/** A binary answer (a QR image): the Blob when ok, else the problem+json as `data`. */
export async function apiBlob(path: string): Promise<ApiResult<unknown> & { blob?: Blob }> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { authorization: `Bearer ${session.get() ?? ''}` }, credentials: 'omit', cache: 'no-store' });
  } catch {
    return { ok: false, status: 0, data: undefined };
  }
  if (response.ok) return { ok: true, status: response.status, data: undefined, blob: await response.blob() };
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  return { ok: false, status: response.status, data };
}
