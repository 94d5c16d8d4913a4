// `fanzha import-logs`: the staff console's access log → data.accessed events, through the rules
// file. Each event id hashes its line (and how many identical lines came before), so importing
// the same file again, or the file after more lines were appended, stores each read once.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import cliProgress from 'cli-progress';
import type { EventsService } from '../../events/events.service.ts';
import { EventSink, problemLine } from '../connect.sink.ts';
import { COMBINED, jsonParser, nginxParser, principalOf, type LogRequest } from './logs.parse.ts';
import { RuleSet, type LogRules } from './logs.rules.ts';

export interface LogImportSummary {
  lines: number;
  /** Lines turned into reads. */
  reads: number;
  accepted: number;
  duplicates: number;
  /** Lines the format could not read (line numbers, the first 20). */
  unparsed: { count: number; lines: number[] };
  /** Requests no rule matched, by method and path shape (ids and digits masked, query dropped). */
  unmatched: { count: number; top: { shape: string; count: number }[] };
  /** Matched requests with no principal in the line. */
  noPrincipal: number;
  /** Matched requests whose status showed nothing (not in `statuses`). */
  skippedStatus: number;
  rejected: { line: number; problem: string }[];
}

const BATCH = 1000;

/** A path with anything that may be an identifier masked, so the summary carries no personal data. */
export function pathShape(method: string, url: string): string {
  const path = url.split('?')[0]!.replace(/[^/]*\d[^/]*/g, ':n');
  return `${method} ${path.length > 120 ? path.slice(0, 120) + '…' : path}`;
}

export async function importLogs(
  events: EventsService,
  file: string,
  opts: { format: 'nginx' | 'json'; rules: LogRules; progress?: boolean },
): Promise<LogImportSummary> {
  const rules = new RuleSet(opts.rules);
  const parse = opts.format === 'nginx' ? nginxParser(opts.rules.logFormat ?? COMBINED) : jsonParser(opts.rules.json);
  const statuses = opts.rules.statuses ? new Set(opts.rules.statuses) : null;
  const sink = new EventSink(events);
  const s: LogImportSummary = {
    lines: 0,
    reads: 0,
    accepted: 0,
    duplicates: 0,
    unparsed: { count: 0, lines: [] },
    unmatched: { count: 0, top: [] },
    noPrincipal: 0,
    skippedStatus: 0,
    rejected: [],
  };
  const shapes = new Map<string, number>();
  const seen = new Map<string, number>();

  const size = statSync(file).size;
  const bar = opts.progress
    ? new cliProgress.SingleBar({ format: 'import-logs |{bar}| {percentage}% | {reads} reads | {eta_formatted} left' }, cliProgress.Presets.shades_classic)
    : null;
  bar?.start(size, 0, { reads: 0 });
  let bytes = 0;
  let batch: Record<string, unknown>[] = [];
  let batchLines: number[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const r = await sink.write(batch);
    for (const x of r.rejected) s.rejected.push({ line: batchLines[x.index]!, problem: problemLine(x.problem) });
    batch = [];
    batchLines = [];
    bar?.update(bytes, { reads: s.reads });
  };

  const toEvent = (req: LogRequest, line: string): Record<string, unknown> | null => {
    const match = rules.match(req.method, req.url);
    if (!match) {
      s.unmatched.count++;
      const shape = pathShape(req.method, req.url);
      shapes.set(shape, (shapes.get(shape) ?? 0) + 1);
      return null;
    }
    if (statuses ? !statuses.has(req.status) : req.status < 200 || req.status > 299) {
      s.skippedStatus++;
      return null;
    }
    const principalId = principalOf(req, opts.rules.principal);
    if (!principalId) {
      s.noPrincipal++;
      return null;
    }
    const digest = createHash('sha256').update(line).digest('hex').slice(0, 32);
    const n = (seen.get(digest) ?? 0) + 1;
    seen.set(digest, n);
    return {
      id: `log:${digest}:${n}`,
      type: 'data.accessed',
      at: req.at,
      principalId,
      ...(match.customerId ? { customerId: match.customerId } : {}),
      ...(match.orderId ? { orderId: match.orderId } : {}),
      fields: match.rule.fields,
      ...(match.rule.purpose ? { purpose: match.rule.purpose } : {}),
      channel: opts.rules.channel ?? 'console',
      ...(req.ip ? { ip: req.ip } : {}),
    };
  };

  const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const raw of rl) {
    s.lines++;
    bytes += Buffer.byteLength(raw) + 1;
    const line = raw.trim();
    if (!line) continue;
    const req = parse(line);
    if (!req) {
      s.unparsed.count++;
      if (s.unparsed.lines.length < 20) s.unparsed.lines.push(s.lines);
      continue;
    }
    const ev = toEvent(req, line);
    if (!ev) continue;
    s.reads++;
    batch.push(ev);
    batchLines.push(s.lines);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  bar?.update(size, { reads: s.reads });
  bar?.stop();
  s.accepted = sink.totals.accepted;
  s.duplicates = sink.totals.duplicates;
  s.unmatched.top = [...shapes]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 10)
    .map(([shape, count]) => ({ shape, count }));
  return s;
}
