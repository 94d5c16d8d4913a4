// Ingestion throughput on SQLite.
//   service: EventsService.ingest (validation, normalisation, encryption, idempotency, the
//            access-log chain and ingest hooks, one transaction per 10,000-event batch) — the
//            path POST /v1/events and `fanzha import` use.
//   http:    NDJSON batches of 10,000 over HTTP to a running fanzha.
//   ceiling: raw better-sqlite3 prepared INSERTs of the very rows the service stored (read back
//            from its database, every table, every column) into a fresh database with the same
//            schema, in one transaction.
// Before timing, one throwaway batch warms the process (JIT, ingest worker thread).
// PostgreSQL (when FANZHA_BENCH_PG names a server, e.g. postgres://postgres@127.0.0.1:5432/test):
// the same events through EventsService.ingest on PostgreSQL against a ceiling of plain multi-row
// INSERTs of the rows it stored, in the same process (bench/lib/ingest-postgres.ts).
// Usage: npx tsx bench/ingest.ts [events=200000] [rounds=1]   (FANZHA_BENCH_ONLY=postgres skips SQLite)
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { shopEvents } from './lib/shop-events.ts';
import { tempDir } from '../src/testing/dialects.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, closeContext } from '../src/app/bootstrap.ts';
import { buildApp } from '../src/http/app.ts';
import { AREAS } from '../src/app/areas.ts';
import { createLogger } from '../src/http/logger.ts';

const N = Number(process.argv[2] ?? 200_000);
const BATCH = 10_000;
/** Rounds (each: service, ceiling, HTTP); the best of each is reported, so a loaded moment hurts less. */
const ROUNDS = Number(process.argv[3] ?? 1);
const events = [...shopEvents(N)];

async function context() {
  const dir = tempDir('fanzha-bench-');
  const file = path.join(dir, 'f.db');
  const config = loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${file}`, FANZHA_PORT: '0' });
  const ctx = await createContext(config, { areas: AREAS, logger: createLogger('warn'), masterKey: { key: randomBytes(32), source: 'env' } });
  return { ctx, file };
}

async function servicePath(): Promise<{ rate: number; file: string }> {
  const { ctx, file } = await context();
  const t = performance.now();
  for (let i = 0; i < events.length; i += BATCH) await ctx.services.events.ingest(events.slice(i, i + BATCH));
  const s = (performance.now() - t) / 1000;
  await closeContext(ctx);
  return { rate: N / s, file };
}

async function httpPath(): Promise<number> {
  const { ctx } = await context();
  const app = await buildApp(ctx, AREAS);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { key } = await ctx.services.apiKeys.create({ role: 'ingest' });
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += BATCH)
    bodies.push(
      events
        .slice(i, i + BATCH)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    );
  const t = performance.now();
  for (const body of bodies) {
    const r = await fetch(`${address}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    await r.arrayBuffer();
  }
  const s = (performance.now() - t) / 1000;
  await app.close();
  await closeContext(ctx);
  return N / s;
}

/** Copies every row the service stored into an empty twin database with plain prepared inserts. */
async function ceiling(storedFile: string): Promise<number> {
  const { ctx, file } = await context(); // an empty, migrated database with the same schema
  await closeContext(ctx);
  const src = new BetterSqlite3(storedFile, { readonly: true });
  const dst = new BetterSqlite3(file);
  dst.pragma('journal_mode = WAL');
  dst.pragma('synchronous = NORMAL');
  const tables = ['events', 'customers', 'principals', 'orders', 'refunds', 'access_log', 'exports', 'logins', 'notices'];
  const rows = tables.map((t) => ({ t, rows: src.prepare(`SELECT * FROM ${t}`).all() as Record<string, unknown>[] }));
  // Rows the service itself created at start-up (key ring, audit head...) are already in the twin.
  for (const t of ['audit_head']) dst.prepare(`DELETE FROM ${t}`).run();
  const stmts = rows.map(({ t, rows }) => {
    const cols = rows.length ? Object.keys(rows[0]!) : [];
    return { rows, stmt: cols.length ? dst.prepare(`INSERT INTO ${t} (${cols.join(',')}) VALUES (${cols.map((c) => '@' + c).join(',')})`) : null };
  });
  const t = performance.now();
  dst.transaction(() => {
    for (const { rows, stmt } of stmts) for (const r of rows) stmt!.run(r);
  })();
  const s = (performance.now() - t) / 1000;
  const copied = stmts.reduce((n, x) => n + x.rows.length, 0);
  src.close();
  dst.close();
  if (copied === 0) throw new Error('nothing stored');
  console.log(`ceiling copied ${copied.toLocaleString('en-US')} stored rows (${tables.join(', ')})`);
  return N / s;
}

/**
 * Warms the process the way a running server is warm: JIT, and the ingest worker thread (started
 * by the first large batch, in-thread until it is up) — on a throwaway database.
 */
async function warmUp() {
  const { ctx } = await context();
  const { ingestWorker } = await import('../src/events/pipeline/ingest-worker.ts');
  const warm = [...shopEvents(BATCH, 2)];
  while (!ingestWorker.available()) await new Promise((r) => setTimeout(r, 20));
  await ctx.services.events.ingest(warm);
  await closeContext(ctx);
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
const PG = process.env.FANZHA_BENCH_PG;
if (process.env.FANZHA_BENCH_ONLY !== 'postgres') await sqliteSection();
if (PG) {
  const { benchPostgres } = await import('./lib/ingest-postgres.ts');
  const r = await benchPostgres(PG, events, BATCH, ROUNDS);
  console.log(`PostgreSQL, same events${ROUNDS > 1 ? `, best of ${ROUNDS} rounds` : ''}:`);
  console.log(`ceiling (multi-row INSERT ... VALUES of the ${r.rows.toLocaleString('en-US')} stored rows, one transaction): ${fmt(r.ceiling)} events/s`);
  console.log(`service path (EventsService.ingest, 10k batches): ${fmt(r.service)} events/s  ratio ${(r.service / r.ceiling).toFixed(2)}`);
} else console.log('PostgreSQL section skipped: set FANZHA_BENCH_PG to a server URL to run it.');

async function sqliteSection() {
  await warmUp();
  const runs: { c: number; sv: number; h: number }[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved: on a shared machine each round's three figures see about the same load.
    const sv = await servicePath();
    const c = await ceiling(sv.file);
    const h = await httpPath();
    runs.push({ c, sv: sv.rate, h });
    if (ROUNDS > 1)
      console.log(
        `round ${round + 1}: ceiling ${fmt(c)}, service ${fmt(sv.rate)} (${(sv.rate / c).toFixed(2)}), HTTP ${fmt(h)} (${(h / c).toFixed(2)}) events/s`,
      );
  }
  const best = (k: 'c' | 'sv' | 'h') => Math.max(...runs.map((r) => r[k]));
  const c = best('c');
  console.log(
    `events: ${N.toLocaleString('en-US')} (mix: ~10% customers, ~19% orders, ~3% refunds, ~67% accesses)${ROUNDS > 1 ? `, best of ${ROUNDS} rounds` : ''}`,
  );
  console.log(`ceiling (raw prepared inserts of the stored rows, one transaction): ${fmt(c)} events/s`);
  console.log(`service path (EventsService.ingest, 10k batches): ${fmt(best('sv'))} events/s  ratio ${(best('sv') / c).toFixed(2)}`);
  console.log(`HTTP NDJSON (10k batches, loopback):              ${fmt(best('h'))} events/s  ratio ${(best('h') / c).toFixed(2)}`);
}
