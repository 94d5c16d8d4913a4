// Access-log benchmark.
//  1. Append throughput of the keyed hash chain (SqliteChainAppender, as used by ingestion) versus
//     the same rows inserted by a plain prepared INSERT (the foundation's access_log write), same
//     batch size, same indexes, fresh SQLite files, same process. Goal: ratio ≥ 0.7.
//     With FANZHA_BENCH_PG set, the same comparison on PostgreSQL (multi-row INSERT vs appendEntries).
//  2. Verification speed (entries/s) over a log of FANZHA_BENCH_VERIFY_N entries (default 1,000,000).
// Run: npx tsx bench/audit.ts
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, migrateToLatest, type Database } from '../src/db/database.ts';
import { SqliteChainAppender, setChainKey, appendEntries } from '../src/audit/append.ts';
import { verifyStoredLog } from '../src/audit/verify.ts';
import type { NewEntry } from '../src/audit/chain.ts';

const N = Number(process.env.FANZHA_BENCH_APPEND_N ?? 200_000);
const BATCH = Number(process.env.FANZHA_BENCH_BATCH ?? 500);
const VERIFY_N = Number(process.env.FANZHA_BENCH_VERIFY_N ?? 1_000_000);

function entry(i: number): NewEntry {
  return {
    source: 'event',
    event_id: `ev-${i}`,
    principal_id: `p-${i % 97}`,
    customer_id: `c${i % 50_000}`,
    order_id: `o${i}`,
    fields: 3,
    purpose: 'after-sales',
    channel: 'console',
    ip: '10.0.0.1',
    export_id: null,
    at: 1_780_000_000_000 + i * 1000,
    recorded_at: 1_780_000_000_000 + i * 1000,
  };
}

async function sqliteDb(): Promise<Database> {
  const db = openDatabase({ kind: 'sqlite', path: path.join(mkdtempSync(path.join(tmpdir(), 'fanzha-bench-')), 'a.db') });
  await migrateToLatest(db);
  return db;
}

function rate(n: number, ms: number) {
  return Math.round((n / ms) * 1000);
}

async function sqliteAppend() {
  const plainDb = await sqliteDb();
  const chainDb = await sqliteDb();
  setChainKey(chainDb, randomBytes(32));
  const raw = plainDb.sqlite!;
  const cols = ['source', 'event_id', 'principal_id', 'customer_id', 'order_id', 'fields', 'purpose', 'channel', 'ip', 'export_id', 'at', 'recorded_at'];
  const plain = raw.prepare(`INSERT INTO access_log (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`);
  const plainTx = raw.transaction((rows: NewEntry[]) => {
    for (const r of rows) plain.run({ export_id: null, ...r });
  });
  const appender = new SqliteChainAppender(chainDb.sqlite!);
  const chainTx = chainDb.sqlite!.transaction((rows: NewEntry[]) => appender.append(rows));
  const batches: NewEntry[][] = [];
  for (let i = 0; i < N; i += BATCH) batches.push(Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => entry(i + k)));
  // Interleave rounds so machine noise hits both sides alike.
  let plainMs = 0;
  let chainMs = 0;
  for (let round = 0; round < 4; round++) {
    const part = batches.slice((round * batches.length) / 4, ((round + 1) * batches.length) / 4);
    let t = performance.now();
    for (const b of part) plainTx(b);
    plainMs += performance.now() - t;
    t = performance.now();
    for (const b of part) chainTx(b);
    chainMs += performance.now() - t;
  }
  await plainDb.close();
  await chainDb.close();
  return { plain: rate(N, plainMs), chain: rate(N, chainMs) };
}

async function postgresAppend(url: string) {
  const n = Math.min(N, 50_000);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const db = openDatabase({ kind: 'postgres', url }, { schema });
  try {
    await migrateToLatest(db);
    setChainKey(db, randomBytes(32));
    const cols = [
      'source',
      'event_id',
      'principal_id',
      'customer_id',
      'order_id',
      'fields',
      'purpose',
      'channel',
      'ip',
      'export_id',
      'at',
      'recorded_at',
    ] as const;
    let plainMs = 0;
    let chainMs = 0;
    for (let i = 0; i < n; i += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, n - i) }, (_, k) => ({ export_id: null, ...entry(i + k) }));
      let t = performance.now();
      await db.db.transaction().execute(async (trx) => {
        const values = sql.join(rows.map((r) => sql`(${sql.join(cols.map((c) => (r as Record<string, unknown>)[c] ?? null))})`));
        await sql`INSERT INTO access_log (${sql.join(cols.map((c) => sql.ref(c)))}) VALUES ${values}`.execute(trx);
      });
      plainMs += performance.now() - t;
      t = performance.now();
      await db.db.transaction().execute((trx) => appendEntries(trx, db, rows));
      chainMs += performance.now() - t;
    }
    return { n, plain: rate(n, plainMs), chain: rate(n, chainMs) };
  } finally {
    await db.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

async function verifySpeed() {
  const db = await sqliteDb();
  const key = randomBytes(32);
  setChainKey(db, key);
  const appender = new SqliteChainAppender(db.sqlite!);
  const tx = db.sqlite!.transaction((rows: NewEntry[]) => appender.append(rows));
  for (let i = 0; i < VERIFY_N; i += 10_000) tx(Array.from({ length: Math.min(10_000, VERIFY_N - i) }, (_, k) => entry(i + k)));
  const t = performance.now();
  const r = await verifyStoredLog(db, key);
  const ms = performance.now() - t;
  await db.close();
  if (!r.intact || r.size !== VERIFY_N) throw new Error(`verification failed: ${JSON.stringify(r)}`);
  return { n: VERIFY_N, ms: Math.round(ms), perSecond: rate(VERIFY_N, ms) };
}

const s = await sqliteAppend();
console.log(
  `SQLite append, ${N} entries in batches of ${BATCH}: plain INSERT ${s.plain}/s, keyed chain ${s.chain}/s, ratio chain/plain = ${(s.chain / s.plain).toFixed(2)} (goal ≥ 0.70)`,
);
if (process.env.FANZHA_BENCH_PG) {
  const p = await postgresAppend(process.env.FANZHA_BENCH_PG);
  console.log(
    `PostgreSQL append, ${p.n} entries in batches of ${BATCH}: plain multi-row INSERT ${p.plain}/s, keyed chain ${p.chain}/s, ratio chain/plain = ${(p.chain / p.plain).toFixed(2)}`,
  );
}
const v = await verifySpeed();
console.log(`SQLite verification of ${v.n} entries: ${v.ms} ms, ${v.perSecond} entries/s`);
