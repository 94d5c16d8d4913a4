// Sharded access-log chain vs one chain, on PostgreSQL, two writers.
// Two "nodes" (two connection pools on one schema, as two app instances would have) each run
// WRITERS concurrent append loops; every append is one transaction of ENTRIES entries through
// appendEntries (the path vault reads — 1 entry — and ingest batches take). Baseline: one chain
// (areas.audit.shards = 1: every append waits for the one advisory lock). Sharded: SHARDS chains
// (each transaction takes the first free shard). Same process, same schema layout, alternating
// rounds; the best round of each is reported with the ratio sharded / one chain.
// Usage: FANZHA_BENCH_PG=postgres://postgres@127.0.0.1:5432/test npx tsx bench/chain-shards.ts [seconds=5] [entries=1] [rounds=2] [writers per node=1]
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, migrateToLatest, type Database } from '../src/db/database.ts';
import { appendEntries, ensureShardHeads, setChainKey } from '../src/audit/append.ts';
import { verifyStoredLog } from '../src/audit/verify.ts';
import type { NewEntry } from '../src/audit/chain.ts';

const URL_ = process.env.FANZHA_BENCH_PG;
if (!URL_) {
  console.log('skipped: set FANZHA_BENCH_PG to a PostgreSQL URL');
  process.exit(0);
}
const SECONDS = Number(process.argv[2] ?? 5);
const ENTRIES = Number(process.argv[3] ?? 1);
const ROUNDS = Number(process.argv[4] ?? 2);
const SHARDS = 4;
const NODES = 2;
const WRITERS = Number(process.argv[5] ?? 1); // per node

const entry = (i: number): NewEntry => ({
  source: 'vault',
  principal_id: `p-${i % 97}`,
  customer_id: `c${i}`,
  fields: 3,
  purpose: 'masked view',
  channel: 'view',
  at: Date.now(),
  recorded_at: Date.now(),
});

async function admin(text: string) {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  await c.query(text);
  await c.end();
}

async function run(shards: number, writers: number): Promise<{ rate: number; entries: number }> {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const key = randomBytes(32);
  const nodes: Database[] = [];
  for (let k = 0; k < NODES; k++) {
    const db = openDatabase({ kind: 'postgres', url: URL_! }, { schema });
    if (k === 0) {
      await migrateToLatest(db);
      await ensureShardHeads(db, key, shards);
    }
    setChainKey(db, key, shards);
    nodes.push(db);
  }
  let n = 0;
  const stop = performance.now() + SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    nodes.flatMap((db) =>
      Array.from({ length: writers }, async () => {
        while (performance.now() < stop) {
          const batch = Array.from({ length: ENTRIES }, (_, i) => entry(n + i));
          await db.db.transaction().execute((trx) => appendEntries(trx, db, batch));
          n += ENTRIES;
        }
      }),
    ),
  );
  const sec = (performance.now() - start) / 1000;
  const v = await verifyStoredLog(nodes[0]!, key);
  if (!v.intact || v.size !== n) throw new Error(`log not intact after the run: ${JSON.stringify(v)}`);
  for (const db of nodes) await db.close();
  await admin(`DROP SCHEMA ${schema} CASCADE`);
  return { rate: n / sec, entries: n };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
console.log(`${NODES} nodes × ${WRITERS} writers, ${ENTRIES} entr${ENTRIES === 1 ? 'y' : 'ies'} per append transaction, ${SECONDS} s per run`);
const one: number[] = [];
const many: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = await run(1, WRITERS);
  const b = await run(SHARDS, WRITERS);
  one.push(a.rate);
  many.push(b.rate);
  console.log(
    `round ${r + 1}: one chain ${fmt(a.rate)} entries/s, ${SHARDS} shards ${fmt(b.rate)} entries/s (${(b.rate / a.rate).toFixed(2)}×); both logs verified intact`,
  );
}
const best1 = Math.max(...one);
const bestN = Math.max(...many);
console.log(`one chain (baseline): ${fmt(best1)} entries/s`);
console.log(`${SHARDS} shards:           ${fmt(bestN)} entries/s  ratio ${(bestN / best1).toFixed(2)}`);
