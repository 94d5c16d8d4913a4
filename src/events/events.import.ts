// `fanzha import FILE.ndjson`: the same contract as POST /v1/events, streamed in batches with
// a progress bar. A line that is not JSON is reported and skipped; the rest is imported.
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import type { AppContext } from '../app/context.ts';
import { MAX_EVENTS_PER_REQUEST } from './events.schemas.ts';

export interface ImportSummary {
  lines: number;
  accepted: number;
  duplicates: number;
  rejected: { line: number; id?: string; problem: { title: string; detail?: string } }[];
}

export async function importNdjson(ctx: AppContext, file: string, opts: { progress?: boolean } = {}): Promise<ImportSummary> {
  const size = statSync(file).size;
  const bar = opts.progress
    ? new cliProgress.SingleBar(
        { format: 'import |{bar}| {percentage}% | {events} events | {eta_formatted} left', clearOnComplete: false },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(size, 0, { events: 0 });
  const summary: ImportSummary = { lines: 0, accepted: 0, duplicates: 0, rejected: [] };
  let batch: unknown[] = [];
  let batchLines: number[] = [];
  let bytes = 0;
  const flush = async () => {
    if (!batch.length) return;
    const r = await ctx.services.events.ingest(batch);
    summary.accepted += r.accepted;
    summary.duplicates += r.duplicates;
    for (const x of r.rejected) summary.rejected.push({ line: batchLines[x.index]!, id: x.id, problem: x.problem });
    batch = [];
    batchLines = [];
    bar?.update(bytes, { events: summary.accepted + summary.duplicates });
  };
  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of rl) {
    summary.lines++;
    bytes += Buffer.byteLength(line) + 1;
    const s = line.trim();
    if (!s) continue;
    let v: unknown;
    try {
      v = JSON.parse(s);
    } catch {
      summary.rejected.push({ line: summary.lines, problem: { title: 'Invalid JSON', detail: 'the line is not valid JSON' } });
      continue;
    }
    batch.push(v);
    batchLines.push(summary.lines);
    if (batch.length >= MAX_EVENTS_PER_REQUEST) await flush();
  }
  await flush();
  bar?.update(size);
  bar?.stop();
  return summary;
}
