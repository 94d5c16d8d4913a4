// Benchmark: the investigation index at scale (issue #20 item 5). N reads (default 100 M) are
// generated inside PostgreSQL in a private schema (bench/lib/index-scale-rows.ts; kept between
// runs, extended when N grows), loaded into fanzha's in-memory index through the service's own
// loader (AccessIndexLoader over the audit area's paged scan), then one investigation of 50
// victims is timed — next to DuckDB (in this process) answering the equivalent coverage and
// baseline SQL over the same rows. Prints load time, RSS, the index's bytes a read by part, and
// the investigation latency of both, with their ratio.
//   node --expose-gc --import tsx bench/index-scale.ts [--reads 100000000] [--schema bench_index_scale] [--no-duckdb]
// FANZHA_BENCH_PG (default FANZHA_TEST_PG, then postgres://postgres@127.0.0.1:5432/test) names the server.
import os from 'node:os';
import pg from 'pg';
import { DuckDBInstance, INTEGER, DOUBLE } from '@duckdb/node-api';
import { appendColumns, appendStrata } from './lib/duck-load.ts';
import { openDatabase } from '../src/db/database.ts';
import { AccessIndexLoader } from '../src/investigations/access-index.loader.ts';
import { InvestigationsRepository } from '../src/investigations/investigations.repository.ts';
import { ShopService } from '../src/shop/shop.service.ts';
import { AccessReads } from '../src/audit/access-reads.ts';
import { attribute, DEFAULT_SETTINGS, type EngineVictim } from '../src/investigations/attribution.ts';
import { buildPopulation } from '../src/investigations/population.ts';
import { FIELD_BIT } from '../src/lib/fields.ts';
import { customerId, generate, LEAKER, plan } from './lib/index-scale-rows.ts';
import { timedRuns } from './lib/timed-runs.ts';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : def;
};
const N = Number(arg('reads', '100000000'));
const SCHEMA = arg('schema', 'bench_index_scale');
const URL = process.env.FANZHA_BENCH_PG || process.env.FANZHA_TEST_PG || 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const gb = (b: number) => `${(b / 1e9).toFixed(2)} GB`;
const gc = () => (globalThis as { gc?: () => void }).gc?.();
const rss = () => {
  gc();
  const m = process.memoryUsage();
  return `${gb(m.rss)} RSS (heap ${gb(m.heapUsed)}, typed arrays ${gb(m.arrayBuffers)})`;
};
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

console.log(`index-scale: ${N.toLocaleString('en')} reads in ${SCHEMA}; load average ${load()}`);
{
  const c = new pg.Client({ connectionString: URL });
  await c.connect();
  await c.query(`CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`);
  await c.end();
}
let t = performance.now();
await generate(URL, SCHEMA, N, (s) => console.log(`  ${s}`));
console.log(`rows ready in PostgreSQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const p = plan(N);

// fanzha: the service's loader, first load (then a catch-up of nothing: the incremental path)
const database = openDatabase({ kind: 'postgres', url: URL }, { schema: SCHEMA });
const db = database.db;
const loader = new AccessIndexLoader(new InvestigationsRepository(database, new ShopService(db), new AccessReads(db)));
const rss0 = process.memoryUsage().rss;
t = performance.now();
await loader.refresh();
const loadS = (performance.now() - t) / 1000;
const idx = loader.index;
const mem = idx.memory();
console.log(
  `fanzha index load from PostgreSQL: ${idx.size.toLocaleString('en')} reads in ${loadS.toFixed(1)} s = ${Math.round(idx.size / loadS).toLocaleString('en')} reads/s; ${rss()}, ${gb(process.memoryUsage().rss - rss0)} more than before loading`,
);
console.log(
  `  index bytes: ${mem.bytesPerRead.toFixed(1)} a read (goal ≤ 40) — by customer ${(mem.byCustomer / mem.reads).toFixed(1)}, by principal ${(mem.byPrincipal / mem.reads).toFixed(1)}, tail ${(mem.tail / mem.reads).toFixed(1)}, interners ${(mem.interners / mem.reads).toFixed(1)} (${idx.customers.size.toLocaleString('en')} customers, ${idx.orders.size.toLocaleString('en')} orders, ${idx.principals.size.toLocaleString('en')} principals); total ${gb(mem.total)}`,
);
t = performance.now();
await loader.refresh();
console.log(`  catch-up with nothing new: ${(performance.now() - t).toFixed(0)} ms`);
await database.close();

// one investigation: the 50 planted victims, contacted an hour after the last read, quoting the
// fields the leaker read; the population is every customer (each placed an order in the period)
const contact = p.end + 3_600_000;
const knew = FIELD_BIT.name | FIELD_BIT.phone | FIELD_BIT.address;
const victims: EngineVictim[] = p.victims.map((c, i) => ({ customer: idx.customers.get(customerId(c))!, contactAt: contact - i * 60_000, knewMask: knew }));
const W = DEFAULT_SETTINGS.windowDays * DAY;
const placed: { order: number; customer: number }[] = [];
for (let c = 0; c < p.customers; c++) {
  const o = idx.orders.get(`ord_${String(c).padStart(10, '0')}_0`);
  const ci = idx.customers.get(customerId(c));
  if (o !== undefined && ci !== undefined) placed.push({ order: o, customer: ci });
}
const population = buildPopulation(idx.customers.size, idx.orders.size, placed, [], victims);
const run = () => attribute(idx, population, victims, { now: contact });
run(); // warm-up
const fanzha = await timedRuns(5, run);
const result = fanzha.last;
const fanzhaMs = fanzha.wallMs;
const fanzhaCpuMs = fanzha.cpuMs;
const top = result.suspects.find((s) => s.round === 1);
console.log(
  `fanzha investigation (50 victims): ${fanzhaMs.toFixed(1)} ms wall, ${fanzhaCpuMs.toFixed(1)} ms CPU (medians of 5); verdict ${result.verdict}, attributed [${result.attributed.map((k) => idx.principals.id(k)).join(', ')}] (truth: ${LEAKER}); top suspect covers ${top?.covered ?? 0}`,
);

if (process.argv.includes('--no-duckdb')) process.exit(0);
// DuckDB: the same rows (from the index's columns: principal, customer, fields, time), the
// same customer-level coverage and baseline computation in SQL
const duck = await DuckDBInstance.create(':memory:');
const con = await duck.connect();
await con.run('CREATE TABLE access (principal INTEGER, customer INTEGER, fields INTEGER, ts DOUBLE)');
await con.run('CREATE TABLE population (customer INTEGER, stratum INTEGER)');
await con.run('CREATE TABLE victims (v INTEGER, customer INTEGER, contact_at DOUBLE, knew INTEGER)');
t = performance.now();
{
  const n = idx.atLo.length;
  const cust = new Int32Array(n);
  for (let c = 0; c < idx.byCustomerStart.length - 1; c++) cust.fill(c, idx.byCustomerStart[c]!, idx.byCustomerStart[c + 1]!);
  await appendColumns(con, 'access', [INTEGER, INTEGER, INTEGER, DOUBLE], n, [
    (i, m) => Array.from(idx.principal.subarray(i, i + m)),
    (i, m) => Array.from(cust.subarray(i, i + m)),
    (i, m) => Array.from(idx.fields.subarray(i, i + m)),
    (i, m) => Array.from({ length: m }, (_, k) => idx.atOf(i + k)),
  ]);
  await appendStrata(con, 'population', population.stratum);
  const va = await con.createAppender('victims');
  victims.forEach((v, i) => {
    va.appendInteger(i);
    va.appendInteger(v.customer);
    va.appendDouble(v.contactAt);
    va.appendInteger(v.knewMask);
    va.endRow();
  });
  va.closeSync();
}
console.log(`DuckDB load (from the index's columns): ${((performance.now() - t) / 1000).toFixed(1)} s (${rss()})`);
const from = Math.min(...victims.map((v) => v.contactAt)) - W;
const to = Math.max(...victims.map((v) => v.contactAt));
const sql = `
WITH cov AS (
  SELECT a.principal, v.v, bit_or(a.fields) AS m, any_value(v.knew) AS knew
  FROM access a JOIN victims v ON a.customer = v.customer AND a.ts >= v.contact_at - ${W} AND a.ts < v.contact_at
  GROUP BY a.principal, v.v
), covered AS (
  SELECT principal, count(*) AS covered FROM cov WHERE (m & knew) = knew GROUP BY principal
), cust AS (
  SELECT a.principal, a.customer, bit_or(a.fields) AS m FROM access a
  WHERE a.ts >= ${from} AND a.ts < ${to} AND a.principal IN (SELECT principal FROM covered)
  GROUP BY a.principal, a.customer
), base AS (
  SELECT c.principal, p.stratum, count(*) AS hits FROM cust c JOIN population p ON p.customer = c.customer
  WHERE (c.m & ${knew}) = ${knew} GROUP BY c.principal, p.stratum
)
SELECT c.principal, c.covered, b.stratum, b.hits FROM covered c LEFT JOIN base b USING (principal) ORDER BY c.covered DESC, c.principal`;
const duck3 = await timedRuns(3, async () => (await con.runAndReadAll(sql)).getRows() as unknown[][]);
const rows = duck3.last;
const duckMs = duck3.wallMs;
const duckCpuMs = duck3.cpuMs;
const duckTop = top && rows.find((r) => Number(r[0]) === top.principal);
console.log(
  `DuckDB coverage + baseline SQL: ${duckMs.toFixed(1)} ms wall, ${duckCpuMs.toFixed(1)} ms CPU (medians of 3; top suspect coverage: fanzha ${top?.covered ?? '-'}, DuckDB ${duckTop ? Number(duckTop[1]) : 'missing'})`,
);
console.log(`ratio: fanzha is ${(duckMs / fanzhaMs).toFixed(1)}× faster than DuckDB in wall time, ${(duckCpuMs / fanzhaCpuMs).toFixed(1)}× in CPU time`);
console.log(`load average at the end: ${load()}`);
con.closeSync();
duck.closeSync();
