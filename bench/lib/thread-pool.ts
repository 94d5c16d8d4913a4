// Runs tasks on worker threads whose module is TypeScript (loaded through tsx, as the bench runs
// under it): each worker takes the next task when it has posted {done: true} for the last one.
import { Worker } from 'node:worker_threads';

export async function runOnThreads<T, M>(moduleUrl: URL, tasks: T[], threads: number, onMessage: (m: M) => void): Promise<void> {
  const tsx = import.meta.resolve('tsx/esm/api');
  const code = `(async () => { (await import(${JSON.stringify(tsx)})).register(); await import(${JSON.stringify(moduleUrl.href)}); })();`;
  let next = 0;
  await Promise.all(
    Array.from(
      { length: Math.max(1, Math.min(threads, tasks.length)) },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(code, { eval: true });
          const feed = () => w.postMessage(next < tasks.length ? tasks[next++] : null);
          w.on('message', (m: M & { done?: boolean }) => (m.done ? feed() : onMessage(m)));
          w.on('error', reject);
          w.on('exit', () => resolve());
          w.on('online', feed);
        }),
    ),
  );
}
