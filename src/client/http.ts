// One HTTP call to fanzha with the API key, JSON in and out, problem+json turned into
// FanzhaProblem, and the retry policy (retry.ts) applied. Uses the global fetch (Node >= 18).
import { FanzhaProblem, FanzhaUnreachable, type Problem } from './errors.ts';
import { DEFAULT_RETRY, RETRYABLE_STATUSES, backoffDelay, parseRetryAfter, sleep, type RetryPolicy } from './retry.ts';

export interface TransportOptions {
  /** The fanzha server, e.g. https://fanzha.shop.internal */
  baseUrl: string;
  apiKey?: string;
  retry?: Partial<RetryPolicy>;
  /** Per attempt (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface CallOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** A network failure may be retried: repeating the call cannot do anything twice. */
  idempotent?: boolean;
  signal?: AbortSignal;
  contentType?: string;
  /** Return the body as text instead of parsing JSON. */
  text?: boolean;
}

export class Transport {
  readonly retry: RetryPolicy;
  private readonly base: string;
  private readonly fetchFn: typeof fetch;
  constructor(private readonly opts: TransportOptions) {
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.base = opts.baseUrl.replace(/\/+$/, '');
    this.fetchFn = opts.fetch ?? fetch;
  }

  async call<T>(path: string, o: CallOptions = {}): Promise<T> {
    const method = o.method ?? (o.body === undefined ? 'GET' : 'POST');
    const idempotent = o.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE');
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json, text/plain' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    const body = o.body === undefined ? undefined : typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
    if (body !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    let last: { status?: number; retryAfter?: number; error?: unknown } = {};
    for (let attempt = 0; attempt < this.retry.attempts; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(this.retry, attempt - 1, last.retryAfter), o.signal);
      let res: Response;
      try {
        const signal = o.signal
          ? AbortSignal.any([o.signal, AbortSignal.timeout(this.opts.timeoutMs ?? 30_000)])
          : AbortSignal.timeout(this.opts.timeoutMs ?? 30_000);
        res = await this.fetchFn(url, { method, headers, body, signal });
      } catch (error) {
        if (o.signal?.aborted) throw error;
        last = { error };
        if (!idempotent) break;
        continue;
      }
      if (RETRYABLE_STATUSES.has(res.status)) {
        last = { status: res.status, retryAfter: parseRetryAfter(res.headers.get('retry-after')) };
        await res.body?.cancel();
        continue;
      }
      if (res.status >= 400) throw new FanzhaProblem(res.status, await problemOf(res));
      if (res.status === 204 || res.status === 304) return undefined as T;
      return (o.text ? await res.text() : await res.json()) as T;
    }
    throw new FanzhaUnreachable(
      last.status ? `fanzha answered ${last.status} to every attempt of ${method} ${path}` : `fanzha could not be reached for ${method} ${path}`,
      last.status,
      { cause: last.error },
    );
  }
}

async function problemOf(res: Response): Promise<Problem> {
  const text = await res.text();
  try {
    const p = JSON.parse(text) as Problem;
    if (p && typeof p.title === 'string') return p;
  } catch {
    // not problem+json (a proxy's page): describe it by status only
  }
  return { type: 'about:blank', title: res.statusText || 'Error', status: res.status };
}
