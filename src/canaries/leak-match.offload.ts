// Extraction of leaked files off the event loop. Small files are read in-thread (a worker round
// trip costs more than reading them); larger ones go to one worker thread, one at a time, with a
// time cap: a file that takes longer is refused and the thread replaced, so no upload can hold
// the server or the worker for long. If the thread cannot start, files are read in-thread one
// record-sized piece at a time with a yield between pieces.
import { Worker } from 'node:worker_threads';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { extractLeak, type Extraction, type LeakFormat } from './leak-match.extract.ts';
import { workerBootstrap } from '../lib/worker-bootstrap.ts';
import { DomainError, fail } from '../lib/errors.ts';

const tooComplex = (ms: number) =>
  new DomainError('unprocessable', `The leaked file took longer than ${ms} ms to read; split it into smaller files.`, {
    type: 'file-too-complex',
    title: 'File too complex',
  });

export interface OffloadOptions {
  /** Files of at least this many characters go to the worker (default 64 Ki). */
  offloadAt?: number;
  /** Largest file accepted, in characters (default 32 Mi). */
  maxChars?: number;
  /** Time cap per file in the worker, ms (default 20 s). */
  timeoutMs?: number;
  /** Files waiting for the worker beyond this are refused with 503 (default 4). */
  maxQueued?: number;
}

type Reply = { job: number; result?: Extraction; error?: string; ready?: boolean };

export class LeakExtractor {
  private worker: Worker | null = null;
  private broken = false;
  private ready: Promise<void> | null = null;
  private nextJob = 1;
  private chain: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private readonly o: Required<OffloadOptions>;

  constructor(opts: OffloadOptions = {}) {
    this.o = { offloadAt: 64 * 1024, maxChars: 32 * 1024 * 1024, timeoutMs: 20_000, maxQueued: 4, ...opts };
  }

  async extract(content: string, format: LeakFormat): Promise<Extraction> {
    if (content.length > this.o.maxChars) throw fail.tooLarge(`A leaked file may have at most ${this.o.maxChars} characters.`);
    if (content.length < this.o.offloadAt) return extractLeak(content, format);
    if (this.queued >= this.o.maxQueued) throw fail.unavailable('Too many large files are being read; try again shortly.');
    this.queued++;
    const run = this.chain.then(() => this.inWorker(content, format));
    this.chain = run.catch(() => undefined);
    try {
      return await run;
    } finally {
      this.queued--;
    }
  }

  async stop() {
    const w = this.worker;
    this.worker = null;
    this.ready = null;
    await w?.terminate();
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const w = new Worker(workerBootstrap(import.meta.url, 'leak-match.worker'), { eval: true });
    this.worker = w;
    w.unref();
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = (m: Reply) => {
        if (m.ready) {
          w.off('message', onReady);
          resolve();
        }
      };
      w.on('message', onReady);
      w.once('error', reject);
      w.once('exit', () => {
        if (this.worker === w) {
          this.worker = null;
          this.ready = null;
        }
        reject(new Error('leak extraction worker exited'));
      });
    });
    return this.ready;
  }

  private async inWorker(content: string, format: LeakFormat): Promise<Extraction> {
    if (!this.broken) {
      try {
        await this.start();
      } catch {
        this.broken = true;
      }
    }
    const w = this.worker;
    if (this.broken || !w) return this.inThreadChunked(content, format);
    const job = this.nextJob++;
    return new Promise<Extraction>((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        w.off('message', onMessage);
        w.off('exit', onExit);
        w.unref();
      };
      const onMessage = (m: Reply) => {
        if (m.job !== job) return;
        done();
        if (m.result) resolve(m.result);
        else reject(new DomainError('unprocessable', 'The leaked file could not be read.', { type: 'unreadable-file', title: 'File could not be read' }));
      };
      const onExit = () => {
        done();
        reject(fail.unavailable('The file reader stopped; try again.'));
      };
      const timer = setTimeout(() => {
        done();
        void this.stop(); // the next file gets a fresh thread
        reject(tooComplex(this.o.timeoutMs));
      }, this.o.timeoutMs);
      w.on('message', onMessage);
      w.on('exit', onExit);
      w.ref(); // a pending file keeps the process alive (the CLI waits for it)
      w.postMessage({ job, content, format });
    });
  }

  /** Fallback without a thread: line groups of about offloadAt characters, yielding between them. */
  private async inThreadChunked(content: string, format: LeakFormat): Promise<Extraction> {
    if (format === 'json' || (format === 'auto' && content.trimStart().startsWith('['))) return extractLeak(content, format);
    const first = extractLeak(content.slice(0, content.indexOf('\n') + 1 || content.length), format);
    const fmt = first.format;
    const out: Extraction = { format: fmt, records: [], skipped: 0 };
    let at = 0;
    const deadline = Date.now() + this.o.timeoutMs;
    while (at < content.length) {
      let end = content.indexOf('\n', at + this.o.offloadAt);
      if (end === -1) end = content.length;
      const part = extractLeak(content.slice(at, end), fmt);
      out.records.push(...part.records);
      out.skipped += part.skipped;
      at = end + 1;
      if (Date.now() > deadline) throw tooComplex(this.o.timeoutMs);
      await yieldLoop();
    }
    return out;
  }
}
