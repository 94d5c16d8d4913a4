// Main-thread side of the ingest worker: one worker thread per process, shared by every SQLite
// event store, started on first use. A batch goes over in chunks and comes back chunk by chunk,
// in order, so the transaction can write chunk k while the worker prepares chunk k+1. The thread
// holds the event loop open only while a batch is in flight.
import { Worker } from 'node:worker_threads';
import type { ChunkRequest, ChunkResult, FromWorker, JobStart } from './pipeline.messages.ts';

interface Pending {
  results: ChunkResult[];
  error?: Error;
  wake?: () => void;
}

/** Code of the thread: loads the compiled worker, or the TypeScript one through tsx when running from source. */
function bootstrap(): string {
  const ts = import.meta.url.endsWith('.ts');
  const entry = new URL(ts ? './normalize.worker.ts' : './normalize.worker.js', import.meta.url).href;
  const tsx = ts ? import.meta.resolve('tsx/esm/api') : '';
  return `(async () => {
    try { await import(${JSON.stringify(entry)}); }
    catch (e) {
      if (e.code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !${JSON.stringify(tsx)}) throw e;
      (await import(${JSON.stringify(tsx)})).register();
      await import(${JSON.stringify(entry + '?tsx')}); // a new URL: the failed import is cached

    }
  })();`;
}

export class IngestWorker {
  private worker: Worker | null = null;
  private ready = false;
  private nextJob = 1;
  private readonly jobs = new Map<number, Pending>();

  /** True once the thread is up; the first call starts it (callers use the in-thread path meanwhile). */
  available(): boolean {
    if (!this.worker) this.start();
    return this.ready;
  }

  private start() {
    const w = new Worker(bootstrap(), { eval: true });
    this.worker = w;
    w.unref();
    w.on('message', (m: FromWorker) => {
      if (m.kind === 'ready') {
        this.ready = true;
        return;
      }
      const p = this.jobs.get(m.job);
      if (!p) return;
      if (m.kind === 'error') p.error = new Error(`ingest worker: ${m.message}`);
      else p.results.push(m.result);
      p.wake?.();
    });
    const down = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = null;
      this.ready = false;
      for (const p of this.jobs.values()) {
        p.error ??= err;
        p.wake?.();
      }
    };
    w.on('error', down);
    w.on('exit', (code) => down(new Error(`ingest worker exited (code ${code})`)));
  }

  /** Sends a batch in chunks; yields the normalised chunks in order. */
  async *run(raw: readonly unknown[], start: JobStart, chunkSize: number): AsyncGenerator<ChunkResult> {
    const w = this.worker;
    if (!w || !this.ready) throw new Error('ingest worker is not running');
    const job = this.nextJob++;
    const p: Pending = { results: [] };
    this.jobs.set(job, p);
    if (this.jobs.size === 1) w.ref();
    try {
      const n = Math.max(1, Math.ceil(raw.length / chunkSize));
      for (let i = 0; i < n; i++) {
        const offset = i * chunkSize;
        const req: ChunkRequest = { job, offset, events: raw.slice(offset, offset + chunkSize), last: i === n - 1, ...(i === 0 ? { start } : {}) };
        w.postMessage(req);
      }
      for (let i = 0; i < n; i++) {
        while (!p.results.length && !p.error) await new Promise<void>((resolve) => (p.wake = resolve));
        if (p.error) throw p.error;
        yield p.results.shift()!;
      }
    } finally {
      this.jobs.delete(job);
      if (this.jobs.size === 0) this.worker?.unref();
    }
  }
}

/** The process's ingest worker. */
export const ingestWorker = new IngestWorker();
