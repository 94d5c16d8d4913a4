// A bounded retry for the transaction errors PostgreSQL asks the client to retry: serialisation
// failures (40001) and deadlocks (40P01). The whole transaction runs again, so `fn` must be safe
// to repeat (it starts its own transaction and has no effect outside it).
const RETRYABLE = new Set(['40001', '40P01']);

export function isRetryableTransactionError(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && RETRYABLE.has((e as { code: string }).code);
}

export interface RetryOptions {
  /** Total tries, the first included. */
  attempts?: number;
  /** First back-off; doubles each time, with full jitter so colliding transactions spread out. */
  baseDelayMs?: number;
  onRetry?: (e: unknown, attempt: number) => void;
}

export async function retryTransaction<T>(fn: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const attempts = opts.attempts ?? 5;
  const base = opts.baseDelayMs ?? 20;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (attempt >= attempts || !isRetryableTransactionError(e)) throw e;
      opts.onRetry?.(e, attempt);
      await new Promise((r) => setTimeout(r, Math.random() * base * 2 ** (attempt - 1)));
    }
  }
}
