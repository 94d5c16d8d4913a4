// The ingest worker: normalises, encrypts and pre-chains the next chunks of a batch while the main
// thread writes the previous ones. Pure computation, no database: everything it needs (keys, clock
// reading, chain head) arrives with a batch's first chunk.
import { parentPort } from 'node:worker_threads';
import { EventNormalizer } from '../events.normalize.ts';
import { BatchNormalizer } from '../events.batch.ts';
import { chainHash, type ChainEntry } from '../../audit/chain.ts';
import { packEvents } from './chunk.codec.ts';
import { BadJsonLine, parseJsonLines } from '../ndjson.ts';
import type { ChainCursor } from '../../audit/append.ts';
import type { ToWorker, FromWorker } from './pipeline.messages.ts';

interface Job {
  batch: BatchNormalizer;
  key: Buffer;
  /** Where the chain will end after the chunks so far, assuming all their access rows are new. */
  head: ChainCursor;
}

const port = parentPort!;
const jobs = new Map<number, Job>();
const post = (m: FromWorker) => port.postMessage(m);

port.on('message', (m: ToWorker) => {
  if (m.kind === 'done') {
    jobs.delete(m.job);
    return;
  }
  try {
    if (m.start) {
      const s = m.start;
      jobs.set(m.job, { batch: new BatchNormalizer(EventNormalizer.fromSnapshot(s.snapshot), s.received), key: Buffer.from(s.chainKey), head: { ...s.head } });
    }
    const job = jobs.get(m.job);
    if (!job) return; // an earlier chunk failed; the main thread has been told
    const chunk = job.batch.take(m.json ? parseJsonLines(m.events as string[], m.offset) : m.events, m.offset);
    const start = { ...job.head };
    const hashes: string[] = [];
    for (const e of chunk.valid) {
      if (e.stored.kind !== 'access') continue;
      for (const r of e.stored.rows) {
        // No complete(): the canonical JSON array writes an absent column (ticket) as null anyway.
        job.head.hash = chainHash(job.key, job.head.hash, job.head.size, r as ChainEntry);
        job.head.size++;
        hashes.push(job.head.hash);
      }
    }
    post({
      kind: 'chunk',
      job: m.job,
      result: { packed: packEvents(chunk.valid), rejected: chunk.rejected, repeats: chunk.repeats, chain: { start, hashes } },
    });
  } catch (e) {
    jobs.delete(m.job);
    post({ kind: 'error', job: m.job, message: (e as Error).message, ...(e instanceof BadJsonLine ? { badJson: e.index } : {}) });
  }
});
post({ kind: 'ready' });
