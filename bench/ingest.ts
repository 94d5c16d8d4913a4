// Ingestion throughput on SQLite.
//   service: EventsService.ingest (validation, normalisation, encryption, idempotency, one
//            transaction per 10,000-event batch) — the path POST /v1/events and `fanzha import` use.
//   http:    NDJSON batches of 10,000 over HTTP to a running fanzha.
//   ceiling: raw better-sqlite3 prepared INSERTs of the same stored rows in one transaction.
// Usage: npx tsx bench/ingest.ts [events=200000]
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { shopEvents } from './lib/shop-events.ts';
import { tempDir } from '../src/testing/dialects.ts';
import { loadConfig } from '../src/config/config.ts';
import { createContext, closeContext } from '../src/app/bootstrap.ts';
import { buildApp } from '../src/http/app.ts';
import { createLogger } from '../src/http/logger.ts';
import { openDatabase, migrateToLatest } from '../src/db/database.ts';
import { EventNormalizer, isProblem } from '../src/events/events.normalize.ts';
import { COLUMNS } from '../src/events/events.store.ts';

const N = Number(process.argv[2] ?? 200_000);
const BATCH = 10_000;
const events = [...shopEvents(N)];

async function context() {
  const dir = tempDir('fanzha-bench-');
  const config = loadConfig({ FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`, FANZHA_PORT: '0' });
  return createContext(config, { logger: createLogger('warn'), masterKey: { key: randomBytes(32), source: 'env' } });
}

async function servicePath(): Promise<number> {
  const ctx = await context();
  const t = performance.now();
  for (let i = 0; i < events.length; i += BATCH) await ctx.services.events.ingest(events.slice(i, i + BATCH));
  const s = (performance.now() - t) / 1000;
  await closeContext(ctx);
  return N / s;
}

async function httpPath(): Promise<number> {
  const ctx = await context();
  const app = await buildApp(ctx);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const { key } = await ctx.services.apiKeys.create({ role: 'ingest' });
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += BATCH) bodies.push(events.slice(i, i + BATCH).map((e) => JSON.stringify(e)).join('\n'));
  const t = performance.now();
  for (const body of bodies) {
    const r = await fetch(`${address}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    await r.arrayBuffer();
  }
  const s = (performance.now() - t) / 1000;
  await app.close();
  await closeContext(ctx);
  return N / s;
}

async function ceiling(): Promise<number> {
  // The same rows the service stores, prepared up front (so encryption is excluded from the ceiling).
  const ctx = await context();
  const normalizer = new EventNormalizer(ctx.cipher);
  const rows = events.map((e) => normalizer.normalize(e, Date.now())).filter((x) => !isProblem(x));
  await closeContext(ctx);
  const dir = tempDir('fanzha-bench-raw-');
  const database = openDatabase({ kind: 'sqlite', path: path.join(dir, 'raw.db') });
  await migrateToLatest(database);
  await database.close();
  const raw = new BetterSqlite3(path.join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  const ins = (table: keyof typeof COLUMNS) => raw.prepare(`INSERT INTO ${table} (${COLUMNS[table].join(',')}) VALUES (${COLUMNS[table].map((c) => '@' + c).join(',')})`);
  const ev = raw.prepare('INSERT INTO events (id, type, at, received_at, subject) VALUES (?, ?, ?, ?, ?)');
  const st = { customer: ins('customers'), principal: ins('principals'), order: ins('orders'), refund: ins('refunds'), access: ins('access_log') };
  const seen = { customers: new Set<string>(), principals: new Set<string>(), refunds: new Set<string>() };
  const t = performance.now();
  raw.transaction(() => {
    const now = Date.now();
    for (const e of rows) {
      if (isProblem(e)) continue;
      ev.run(e.id, e.type, e.at, now, e.subject);
      const s = e.stored;
      // Plain inserts: the ceiling skips upsert logic, so repeated keys are simply skipped.
      if (s.kind === 'customer') !seen.customers.has(s.row.id) && (seen.customers.add(s.row.id), st.customer.run(s.row));
      else if (s.kind === 'principal') !seen.principals.has(s.row.id) && (seen.principals.add(s.row.id), st.principal.run(s.row));
      else if (s.kind === 'order') st.order.run(s.row);
      else if (s.kind === 'refund') !seen.refunds.has(s.row.id) && (seen.refunds.add(s.row.id), st.refund.run(s.row));
      else if (s.kind === 'access') for (const r of s.rows) st.access.run(r);
    }
  })();
  const s = (performance.now() - t) / 1000;
  raw.close();
  return N / s;
}

const c = await ceiling();
const sv = await servicePath();
const h = await httpPath();
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`events: ${N.toLocaleString('en-US')} (mix: ~10% customers, ~19% orders, ~3% refunds, ~67% accesses)`);
console.log(`ceiling (raw prepared inserts, one transaction): ${fmt(c)} events/s`);
console.log(`service path (EventsService.ingest, 10k batches): ${fmt(sv)} events/s  ratio ${(sv / c).toFixed(2)}`);
console.log(`HTTP NDJSON (10k batches, loopback):              ${fmt(h)} events/s  ratio ${(h / c).toFixed(2)}`);
