// Wraps the Redis store with the configured behaviour when Redis cannot answer: the caller learns
// that counters are unavailable (and decides fail-open or fail-closed), /readyz and metrics say
// so, and the next successful call — ioredis reconnects by itself — restores normal service.
import type { CounterOp, CounterStore } from './counter-store.ts';

export class CountersUnavailable extends Error {
  override name = 'CountersUnavailable';
}

export interface CounterHealth {
  healthy: boolean;
  since: number;
  failures: number;
}

export class ResilientCounterStore implements CounterStore {
  readonly backend: CounterStore['backend'];
  readonly health: CounterHealth = { healthy: true, since: Date.now(), failures: 0 };

  constructor(
    private readonly inner: CounterStore,
    private readonly onChange: (healthy: boolean) => void = () => {},
  ) {
    this.backend = inner.backend;
  }

  async apply(ops: readonly CounterOp[]): Promise<number[]> {
    try {
      const r = await this.inner.apply(ops);
      this.mark(true);
      return r;
    } catch (e) {
      this.mark(false);
      this.health.failures++;
      throw new CountersUnavailable(`counter store (${this.backend}) unavailable: ${(e as Error).message}`);
    }
  }

  private mark(healthy: boolean) {
    if (this.health.healthy === healthy) return;
    this.health.healthy = healthy;
    this.health.since = Date.now();
    this.onChange(healthy);
  }

  async ping() {
    try {
      await this.inner.ping();
      this.mark(true);
    } catch (e) {
      this.mark(false);
      throw e;
    }
  }

  close() {
    return this.inner.close();
  }
}
