// Retries with exponential backoff and full jitter for calls to fanzha: a 429 or 503 answer, or a
// network failure, is tried again after min(maxDelay, base·2^attempt)·random(), or after the
// server's Retry-After when it names one (never less). Repeating an event batch is safe (each
// event id is stored once); other calls retry network failures only when marked idempotent.

export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 30_000 };

/** Statuses that say "not now": nothing was done, try again later. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

/** Delay before retry number `attempt` (0 = first retry): full jitter, Retry-After as a floor. */
export function backoffDelay(policy: RetryPolicy, attempt: number, retryAfterSeconds?: number, random = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  const jittered = Math.floor(cap * random());
  return retryAfterSeconds !== undefined ? Math.max(jittered, retryAfterSeconds * 1000) : jittered;
}

/** Retry-After as seconds (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : undefined;
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
