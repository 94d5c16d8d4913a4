// Leaked-file matching at shop scale: a courier-style world (customers, orders, overlapping
// partner exports recorded as export.created events) on SQLite, then a leaked CSV of one partner's
// rows with phones respelled. Baseline: extracting identifiers from the same file without any
// storage (the floor any matcher pays); printed as the ratio of full matching to that floor.
// Run: npx tsx bench/leak-match.ts [customers] [recipients] [exportSize] [leakRows]
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config/config.ts';
import { createContext, closeContext } from '../src/app/bootstrap.ts';
import { AREAS } from '../src/app/areas.ts';
import { createLogger } from '../src/http/logger.ts';
import { tempDir } from '../src/testing/dialects.ts';
import { extractLeak } from '../src/canaries/leak-match.extract.ts';

const [CUSTOMERS, RECIPIENTS, EXPORT_SIZE, LEAK_ROWS] = [100_000, 10, 15_000, 20_000].map((d, i) => Number(process.argv[2 + i] ?? d)) as [
  number,
  number,
  number,
  number,
];
const phone = (i: number) => `13${String(100_000_000 + ((i * 7_919_993) % 900_000_000)).padStart(9, '0')}`;

const dir = tempDir('fanzha-bench-');
const env = { FANZHA_DATA_DIR: dir, FANZHA_DB: `sqlite:${path.join(dir, 'b.db')}`, FANZHA_MASTER_KEY: randomBytes(32).toString('hex') };
const ctx = await createContext(loadConfig(env), { areas: AREAS, logger: createLogger('warn', new Writable({ write: (_c, _e, cb) => cb() })) });
try {
  let t0 = performance.now();
  for (let i = 0; i < CUSTOMERS; i += 5_000) {
    const batch: unknown[] = [];
    for (let j = i; j < Math.min(i + 5_000, CUSTOMERS); j++) {
      batch.push({ id: `c${j}`, type: 'customer.upserted', at: '2026-07-01T00:00:00Z', customerId: `c${j}`, name: `客户${j}`, phone: phone(j) });
      batch.push({
        id: `o${j}`,
        type: 'order.placed',
        at: '2026-07-02T00:00:00Z',
        orderId: `o${j}`,
        customerId: `c${j}`,
        items: [{ sku: 'S', title: '牙刷', price: 9, quantity: 1 }],
        total: 9,
      });
    }
    await ctx.services.events.ingest(batch);
  }
  // Recipient r receives a window of orders starting at r * (CUSTOMERS / RECIPIENTS), wrapping: neighbours overlap.
  const step = Math.floor(CUSTOMERS / RECIPIENTS);
  for (let r = 0; r < RECIPIENTS; r++) {
    const orderIds = Array.from({ length: EXPORT_SIZE }, (_, k) => `o${(r * step + k) % CUSTOMERS}`);
    await ctx.services.events.ingest([
      {
        id: `x${r}`,
        type: 'export.created',
        at: '2026-07-03T00:00:00Z',
        exportId: `exp-${r}`,
        principalId: `partner-${r}`,
        orderIds,
        fields: ['name', 'phone', 'address'],
      },
    ]);
  }
  const setupS = (performance.now() - t0) / 1000;

  const leaker = 3;
  const lines = ['收件人,电话,备注'];
  for (let k = 0; k < LEAK_ROWS; k++) {
    const p = phone((leaker * step + ((k * 7) % EXPORT_SIZE)) % CUSTOMERS);
    const spelled = k % 3 === 0 ? `+86 ${p.slice(0, 3)} ${p.slice(3, 7)} ${p.slice(7)}` : k % 3 === 1 ? `0086-${p}` : p;
    lines.push(`客户${k},${spelled},已发货`);
  }
  const file = lines.join('\n');

  t0 = performance.now();
  const ex = extractLeak(file);
  const baseMs = performance.now() - t0;
  t0 = performance.now();
  const r = await ctx.services.leakMatch.match(file);
  const matchMs = performance.now() - t0;
  const top = r.candidates[0]!;
  console.log(`world: ${CUSTOMERS} customers, ${RECIPIENTS} recipients × ${EXPORT_SIZE} orders (overlapping), built in ${setupS.toFixed(1)} s`);
  console.log(`leaked file: ${LEAK_ROWS} rows, ${ex.records.length} records with identifiers`);
  console.log(`baseline (extract identifiers only, no storage): ${baseMs.toFixed(0)} ms`);
  console.log(
    `fanzha leak match (extract + blind-index lookups + coverage + scoring): ${matchMs.toFixed(0)} ms = ${(matchMs / baseMs).toFixed(2)}× the baseline, ${Math.round((LEAK_ROWS / matchMs) * 1000)} rows/s`,
  );
  console.log(
    `top candidate: ${top.scope.id} (${top.verdict}, covered ${top.coverage.covered}/${top.coverage.found}); second: ${r.candidates[1]?.scope.id ?? '-'} (${r.candidates[1]?.verdict ?? '-'}, ${r.candidates[1]?.coverage.coveredUnexplained ?? 0} unexplained)`,
  );
  if (top.scope.id !== `partner-${leaker}`) {
    console.error('WRONG ATTRIBUTION');
    process.exitCode = 1;
  }
} finally {
  await closeContext(ctx);
}
