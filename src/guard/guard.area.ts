import type { Area } from '../app/area.ts';
import { GuardService } from './guard.service.ts';
import { GuardStats } from './guard.stats.ts';
import { guardRoutes } from './guard.routes.ts';
import { loadGuardConfig } from './guard.config.ts';
import { MemoryCounterStore } from './counters/memory-counter-store.ts';
import { RedisCounterStore } from './counters/redis-counter-store.ts';
import { ResilientCounterStore } from './counters/resilient-counter-store.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    guard: GuardService;
    guardStats: GuardStats;
  }
}

export const guardArea: Area = {
  name: 'guard',
  setup(ctx) {
    const config = loadGuardConfig(ctx.config.areas.guard);
    const inner = ctx.config.redisUrl
      ? new RedisCounterStore({ url: ctx.config.redisUrl, keyPrefix: config.redisKeyPrefix, commandTimeoutMs: config.redisCommandTimeoutMs })
      : new MemoryCounterStore();
    let service: GuardService | undefined;
    // Only a store across the network can fail; the memory store is used as it is (the engine
    // keeps its per-attempt records in place and decides synchronously).
    const store =
      inner instanceof MemoryCounterStore
        ? inner
        : new ResilientCounterStore(inner, (healthy) => {
            service?.countersUp.set(healthy ? 1 : 0);
            ctx.logger[healthy ? 'info' : 'error'](
              { backend: inner.backend, failMode: config.failMode },
              healthy ? 'guard: counters recovered' : 'guard: counters unavailable, applying fail mode',
            );
          });
    const stats = new GuardStats(ctx.database.db);
    service = new GuardService({
      cipher: ctx.cipher,
      store,
      config,
      logger: ctx.logger,
      registry: ctx.metrics.registry,
      stats,
      notifier: () => ctx.services.notifier,
    });
    ctx.services.guard = service;
    ctx.services.guardStats = stats;
    ctx.readiness.push({
      name: 'guard-counters',
      async check() {
        try {
          await store.ping();
          return `ok (${inner.backend})`;
        } catch {
          // Failing open keeps serving (degraded); failing closed or challenging turns customers away.
          if (config.failMode === 'open') return `degraded: ${inner.backend} unavailable, failing open`;
          throw new Error(`${inner.backend} unavailable`);
        }
      },
    });
    ctx.closers.push(() => store.close());
    ctx.closers.push(() => stats.flush());
  },
  routes: guardRoutes,
  start(ctx) {
    const timer = setInterval(() => {
      ctx.services.guardStats.flush().catch((e) => ctx.logger.warn({ err: e }, 'guard: stats flush failed'));
      // Probing keeps the health state (and the gauge) current even when no logins arrive.
      ctx.services.guard.probe().catch(() => {});
    }, 10_000);
    timer.unref();
    ctx.closers.push(() => clearInterval(timer));
  },
};
