// Main-thread side of the ingest worker: one worker thread per process, shared by every SQLite
// event store, started on first use. A batch goes over in chunks and comes back chunk by chunk,
// in order, so the transaction can write chunk k while the worker prepares chunk k+1. The thread
// holds the event loop open only while a batch is in flight.
import { Worker } from 'node:worker_threads';
import type { ToWorker, ChunkResult, FromWorker, JobStart } from './pipeline.messages.ts';
import { unpackEvents } from './chunk.codec.ts';
import { BadJsonLine } from '../ndjson.ts';
import { workerBootstrap } from '../../lib/worker-bootstrap.ts';

interface Pending {
  results: ChunkResult[];
  error?: Error;
  wake?: () => void;
}

export class IngestWorker {
  private worker: Worker | null = null;
  private ready = false;
  /** Set when a thread died before it was ever ready (say, it cannot load): do not respawn per batch. */
  private broken = false;
  private nextJob = 1;
  private readonly jobs = new Map<number, Pending>();
  /** Told once the thread is ready (true) or failed before it ever was (false). */
  private waiters: ((up: boolean) => void)[] = [];
  /** Told (with a reason free of event data) when the thread fails and batches continue in-thread. */
  onFailure?: (reason: string) => void;

  /** Ends the thread (batches in flight finish on the caller's thread); the next use starts a new one. */
  async stop(): Promise<void> {
    await this.worker?.terminate();
  }

  /** True once the thread is up; the first call starts it (callers use the in-thread path meanwhile). */
  available(): boolean {
    if (this.broken) return false;
    if (!this.worker) this.start();
    return this.ready;
  }

  /** Starts the thread if needed and resolves once it is ready (true) or cannot start (false). */
  whenAvailable(): Promise<boolean> {
    if (this.available()) return Promise.resolve(true);
    if (this.broken) return Promise.resolve(false);
    // the thread is unref'd: hold the event loop open while someone waits for it
    this.worker?.ref();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private tell(up: boolean) {
    const waiters = this.waiters;
    this.waiters = [];
    if (this.jobs.size === 0) this.worker?.unref();
    for (const w of waiters) w(up);
  }

  private start() {
    let w: Worker;
    try {
      w = new Worker(workerBootstrap(import.meta.url, 'normalize.worker'), { eval: true });
    } catch {
      this.broken = true; // e.g. running from source without tsx resolvable: stay in-thread
      return;
    }
    this.worker = w;
    w.on('message', (m: FromWorker) => {
      if (m.kind === 'ready') {
        this.ready = true;
        this.tell(true);
        return;
      }
      const p = this.jobs.get(m.job);
      if (!p) return;
      if (m.kind === 'error') p.error = m.badJson !== undefined ? new BadJsonLine(m.badJson) : new Error(`ingest worker: ${m.message}`);
      else {
        const { packed, ...rest } = m.result;
        p.results.push({ ...rest, valid: unpackEvents(packed) });
      }
      p.wake?.();
    });
    const down = (err: Error) => {
      if (this.worker !== w) return;
      // an uncaught error's message could quote event data: only exits are told verbatim
      this.onFailure?.(err.message.startsWith('ingest worker exited') ? err.message : `thread error (${err.name})`);
      if (!this.ready) {
        this.broken = true;
        this.tell(false);
      }
      this.worker = null;
      this.ready = false;
      for (const p of this.jobs.values()) {
        p.error ??= err;
        p.wake?.();
      }
    };
    w.on('error', down);
    w.on('exit', (code) => down(new Error(`ingest worker exited (code ${code})`)));
    // a reply that cannot be read would leave its batch waiting: give the thread up instead
    w.on('messageerror', (e) => {
      down(e);
      void w.terminate();
    });
    w.unref(); // after the listeners: adding a 'message' listener refs the thread again
  }

  /**
   * Yields a batch's chunks normalised, in order. Chunks go to the worker a few at a time from the
   * front; whenever the caller would otherwise wait for the worker, it normalises a chunk from the
   * back itself (`local`, called with decreasing offsets), so both threads stay busy however the
   * machine shares its cores. If the worker is gone, cannot take a chunk (say, an event too deeply
   * nested to copy) or stops answering, the rest of the batch is normalised here, in order: a
   * batch never fails because of the worker, only because of its own content.
   */
  async *run(
    raw: readonly unknown[],
    start: JobStart,
    chunkSize: number,
    local: (events: readonly unknown[], offset: number) => ChunkResult,
    json = false,
  ): AsyncGenerator<ChunkResult> {
    const w = this.worker && this.ready ? this.worker : null;
    const n = Math.max(1, Math.ceil(raw.length / chunkSize));
    const slice = (i: number) => raw.slice(i * chunkSize, (i + 1) * chunkSize);
    const here = (i: number) => local(slice(i), i * chunkSize);
    if (!w) {
      for (let i = 0; i < n; i++) yield here(i);
      return;
    }
    const job = this.nextJob++;
    const p: Pending = { results: [] };
    this.jobs.set(job, p);
    if (this.jobs.size === 1) w.ref();
    // A chunk normalised here that failed keeps its error until its turn: the first failure in batch order wins.
    const own = new Map<number, ChunkResult | Error>();
    let sent = 0; // chunks [0, sent) went to the worker
    let end = n; // chunks [end, n) are normalised here
    let workerFailed = false; // from then on, every chunk before `end` is normalised here too
    const pump = (consumed: number) => {
      while (sent < end && sent - consumed < AHEAD) {
        const msg: ToWorker = { kind: 'chunk', job, offset: sent * chunkSize, events: slice(sent), json, ...(sent === 0 ? { start } : {}) };
        w.postMessage(msg); // throws when the chunk cannot be copied to the thread
        sent++;
      }
    };
    const reply = () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          // no answer for this long means a stuck thread: ending it fails the job over to this thread
          this.onFailure?.(`no answer in ${REPLY_TIMEOUT_MS} ms; terminating the thread`);
          void w.terminate();
        }, REPLY_TIMEOUT_MS);
        timer.unref();
        p.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    try {
      for (let i = 0; i < n; i++) {
        if (i >= end) {
          const r = own.get(i)!;
          if (r instanceof Error) throw r;
          yield r;
          continue;
        }
        if (!workerFailed) {
          try {
            pump(i);
          } catch {
            workerFailed = true; // the error may quote the event: it is not passed on
            this.onFailure?.('a chunk could not be copied to the thread');
          }
        }
        while (!workerFailed && !p.results.length && !p.error) {
          if (end > sent) {
            end--;
            try {
              own.set(end, here(end));
            } catch (e) {
              own.set(end, e as Error);
            }
            await new Promise<void>((resolve) => setImmediate(resolve)); // let the worker's replies in
          } else {
            await reply();
          }
        }
        if (!workerFailed && p.error) {
          if (p.error instanceof BadJsonLine) throw p.error; // the batch's own content: a 400
          workerFailed = true;
        }
        yield workerFailed ? here(i) : p.results.shift()!;
      }
    } finally {
      this.jobs.delete(job);
      if (this.worker === w) w.postMessage({ kind: 'done', job } satisfies ToWorker);
      if (this.jobs.size === 0) this.worker?.unref();
    }
  }
}

/** Chunks handed to the worker ahead of the one being written. */
const AHEAD = 4;
/** A chunk takes milliseconds; a worker silent for this long is stuck (or lost a message). */
const REPLY_TIMEOUT_MS = 30_000;

/** The process's ingest worker. */
export const ingestWorker = new IngestWorker();
