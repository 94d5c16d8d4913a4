// Retention on PostgreSQL: removing the months older than the retention by dropping their
// partitions (fanzha's prune: one transaction under every shard lock, signed anchor, the prune
// logged in the chain, DETACH + DROP) against the baseline a single table would need — a DELETE
// of the same rows by recorded_at — on two identical logs built in the same run. The prune's
// verification pass (it refuses to prune a log that does not verify) is timed on its own.
// Usage: FANZHA_BENCH_PG=postgres://postgres@127.0.0.1:5432/test npx tsx bench/retention.ts [entries per month=50000] [months=4]
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, migrateToLatest } from '../src/db/database.ts';
import { appendEntries, ensureShardHeads, setChainKey } from '../src/audit/append.ts';
import { ensurePartitions } from '../src/audit/partitions.ts';
import { AuditService, auditConfig } from '../src/audit/audit.service.ts';
import { NoteSigner } from '../src/audit/signed-note.ts';
import { retentionCut } from '../src/audit/retention.ts';
import { pruneBefore } from '../src/audit/prune.ts';
import type { NewEntry } from '../src/audit/chain.ts';

const URL_ = process.env.FANZHA_BENCH_PG;
if (!URL_) {
  console.log('skipped: set FANZHA_BENCH_PG to a PostgreSQL URL');
  process.exit(0);
}
const PER_MONTH = Number(process.argv[2] ?? 50_000);
const MONTHS = Number(process.argv[3] ?? 4);
const SHARDS = 4;
const BATCH = 5_000;
// months January.. of 2026; "now" such that the first half of them is older than the retention
const monthAt = (m: number) => Date.UTC(2026, m, 1);
const NOW = Date.UTC(2026, 6 + Math.floor(MONTHS / 2), 15);

async function admin(text: string) {
  const c = new pg.Client({ connectionString: URL_ });
  await c.connect();
  await c.query(text);
  await c.end();
}

async function build() {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  await admin(`CREATE SCHEMA ${schema}`);
  const database = openDatabase({ kind: 'postgres', url: URL_! }, { schema });
  await migrateToLatest(database);
  const key = randomBytes(32);
  await ensureShardHeads(database, key, SHARDS);
  setChainKey(database, key, SHARDS);
  for (let m = 0; m < MONTHS; m += 3) await ensurePartitions(database.db, monthAt(m));
  let i = 0;
  for (let m = 0; m < MONTHS; m++)
    for (let b = 0; b < PER_MONTH; b += BATCH) {
      const list: NewEntry[] = Array.from({ length: Math.min(BATCH, PER_MONTH - b) }, (_, k) => ({
        source: 'event',
        principal_id: `p-${i % 97}`,
        order_id: `o${i + k}`,
        fields: 3,
        channel: 'console',
        at: monthAt(m) + (b + k) * 1000,
        recorded_at: monthAt(m) + (b + k) * 1000,
      }));
      i += list.length;
      await database.db.transaction().execute((trx) => appendEntries(trx, database, list, { shard: (b / BATCH) % SHARDS }));
    }
  await sql`VACUUM ANALYZE access_log`.execute(database.db);
  const cfg = auditConfig({ audit: { shards: SHARDS } });
  const signer = new NoteSigner(cfg.origin, randomBytes(32));
  return { database, audit: new AuditService(database, signer, cfg, key), schema, key, signer, origin: cfg.origin };
}

const cut = retentionCut(NOW, 183);
const baseline = await build();
let t = performance.now();
const deleted = await baseline.database.db.deleteFrom('access_log').where('recorded_at', '<', cut).executeTakeFirst();
const deleteMs = performance.now() - t;

const subject = await build();
t = performance.now();
const v = await subject.audit.verify();
const verifyMs = performance.now() - t;
if (!v.intact) throw new Error('the built log does not verify');
t = performance.now();
// the pruning transaction itself (AuditService.prune = the verification above + this)
const r = await pruneBefore({
  database: subject.database,
  chainKey: subject.key,
  signer: subject.signer,
  origin: subject.origin,
  cutAt: cut,
  now: NOW,
  previous: new Map(),
});
const pruneMs = performance.now() - t;
const after = await subject.audit.verify();
if (!after.intact || r.pruned !== Number(deleted.numDeletedRows)) throw new Error(`prune: ${JSON.stringify(r)} / ${JSON.stringify(after)}`);

console.log(
  `entries: ${MONTHS * PER_MONTH} over ${MONTHS} months, ${SHARDS} shards; cut ${new Date(cut).toISOString()} removes ${r.pruned} (${r.months.join(', ')})`,
);
console.log(`baseline DELETE by recorded_at: ${deleteMs.toFixed(0)} ms`);
console.log(
  `prune transaction (shard locks, signed anchor, logged entry, DETACH + DROP): ${pruneMs.toFixed(0)} ms  ratio to DELETE ${(pruneMs / deleteMs).toFixed(3)}`,
);
console.log(
  `verification before pruning: ${verifyMs.toFixed(0)} ms for ${MONTHS * PER_MONTH} entries (${((verifyMs * 1000) / (MONTHS * PER_MONTH)).toFixed(2)} µs/entry)`,
);
for (const b of [baseline, subject]) {
  await b.database.close();
  await admin(`DROP SCHEMA ${b.schema} CASCADE`);
}
