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
