// How long the event loop was blocked while something ran (perf_hooks histogram, 10 ms
// resolution): tests assert that a hostile request never stalls the other requests.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export async function maxLoopDelayMs<T>(run: () => Promise<T>): Promise<{ result: T; maxMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  try {
    const result = await run();
    return { result, maxMs: h.max / 1e6 };
  } finally {
    h.disable();
  }
}

/**
 * The loop delay this machine's scheduler alone causes right now (timers only, nothing blocking),
 * and the bound a test of "never blocks the loop" may assert: `floorMs`, or `factor` times the idle
 * figure on a machine so loaded that timers are late without any blocking. A real block (the
 * quadratic pattern that froze the server for seconds) stays far above either.
 */
export async function loopStallBoundMs(floorMs = 200, factor = 4, durationMs = 500): Promise<{ bound: number; idleMs: number }> {
  const { maxMs } = await maxLoopDelayMs(async () => {
    const end = Date.now() + durationMs;
    while (Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  });
  return { bound: Math.max(floorMs, factor * maxMs), idleMs: maxMs };
}
