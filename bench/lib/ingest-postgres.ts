// The PostgreSQL section of bench/ingest.ts.
//   service: EventsService.ingest on PostgreSQL (the path POST /v1/events takes), 10,000-event
//            batches, in a private schema.
//   ceiling: the very rows the service stored (read back, every table, every column) inserted
//            into a fresh migrated schema with plain multi-row INSERT ... VALUES statements
//            (as many rows per statement as the 65,535-parameter limit allows), one transaction,
//            on one raw pg connection — what the issue measured the old path against.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config/config.ts';
import { createContext, closeContext } from '../../src/app/bootstrap.ts';
import { AREAS } from '../../src/app/areas.ts';
import { createLogger } from '../../src/http/logger.ts';
import { openDatabase, migrateToLatest } from '../../src/db/database.ts';
import { tempDir } from '../../src/testing/dialects.ts';

const TABLES = ['events', 'customers', 'principals', 'orders', 'refunds', 'access_log', 'exports', 'logins', 'notices'];

async function admin(url: string, text: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(text);
  await c.end();
}

async function schema(url: string): Promise<string> {
  const s = `bench_${randomBytes(5).toString('hex')}`;
  await admin(url, `CREATE SCHEMA ${s}`);
  return s;
}

async function service(url: string, events: Record<string, unknown>[], batch: number): Promise<{ rate: number; schema: string }> {
  const s = await schema(url);
  const database = openDatabase({ kind: 'postgres', url }, { schema: s });
  const config = loadConfig({ FANZHA_DATA_DIR: tempDir('fanzha-bench-'), FANZHA_DB: url, FANZHA_PORT: '0' });
  const ctx = await createContext(config, { areas: AREAS, database, logger: createLogger('warn'), masterKey: { key: randomBytes(32), source: 'env' } });
  const t = performance.now();
  for (let i = 0; i < events.length; i += batch) await ctx.services.events.ingest(events.slice(i, i + batch));
  const sec = (performance.now() - t) / 1000;
  await closeContext(ctx);
  return { rate: events.length / sec, schema: s };
}

async function ceiling(url: string, from: string, n: number): Promise<{ rate: number; rows: number }> {
  const to = await schema(url);
  const twin = openDatabase({ kind: 'postgres', url }, { schema: to });
  await migrateToLatest(twin);
  await twin.close();
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${to}` });
  await c.connect();
  const data: { t: string; cols: string[]; rows: unknown[][] }[] = [];
  for (const t of TABLES) {
    const r = await c.query({ text: `SELECT * FROM ${from}.${t}`, rowMode: 'array' });
    data.push({ t, cols: r.fields.map((f) => f.name), rows: r.rows });
  }
  const start = performance.now();
  await c.query('BEGIN');
  for (const { t, cols, rows } of data) {
    const per = Math.floor(65_000 / cols.length);
    for (let i = 0; i < rows.length; i += per) {
      const part = rows.slice(i, i + per);
      const params: unknown[] = [];
      const tuples = part.map((row) => `(${row.map((v) => (params.push(v), `$${params.length}`)).join(',')})`);
      await c.query(`INSERT INTO ${t} (${cols.join(',')}) VALUES ${tuples.join(',')}`, params);
    }
  }
  await c.query('COMMIT');
  const sec = (performance.now() - start) / 1000;
  await c.end();
  await admin(url, `DROP SCHEMA ${to} CASCADE`);
  return { rate: n / sec, rows: data.reduce((k, d) => k + d.rows.length, 0) };
}

/** Runs `rounds` interleaved rounds (service, then the ceiling on what it stored); returns the best of each. */
export async function benchPostgres(url: string, events: Record<string, unknown>[], batch: number, rounds: number) {
  // warm: JIT and the catalog caches of a running server
  const warm = await service(url, events.slice(0, batch), batch);
  await admin(url, `DROP SCHEMA ${warm.schema} CASCADE`);
  const runs: { sv: number; c: number }[] = [];
  let rows = 0;
  for (let r = 0; r < rounds; r++) {
    const sv = await service(url, events, batch);
    const c = await ceiling(url, sv.schema, events.length);
    rows = c.rows;
    await admin(url, `DROP SCHEMA ${sv.schema} CASCADE`);
    runs.push({ sv: sv.rate, c: c.rate });
    if (rounds > 1)
      console.log(`postgres round ${r + 1}: ceiling ${Math.round(c.rate)}, service ${Math.round(sv.rate)} (${(sv.rate / c.rate).toFixed(2)}) events/s`);
  }
  return { service: Math.max(...runs.map((x) => x.sv)), ceiling: Math.max(...runs.map((x) => x.c)), rows };
}
