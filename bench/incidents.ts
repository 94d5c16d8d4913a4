// Ingestion latency while an incident notifies N affected customers, vs ingestion latency alone.
//   npx tsx bench/incidents.ts [customers=100000] [requests=60]
// Seeds N customers read by one principal (SQLite file database), opens and contains an incident.
// Baseline: `requests` POST /v1/events batches of 50 events, one after another, nothing else
// running. Then the same batches while `incidents.notify` enqueues N notices (chunked, yielding).
// Prints p50/p95/max per request and the ratios (during / baseline) from the same run.
import { performance } from 'node:perf_hooks';
import { testDialects } from '../src/testing/dialects.ts';
import { createTestApp } from '../src/testing/test-app.ts';

const N = Number(process.argv[2] ?? 100_000);
const REQUESTS = Number(process.argv[3] ?? 60);
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);
const iso = (ms: number) => new Date(ms).toISOString();

const t = await createTestApp(testDialects()[0]!, { logLevel: 'warn' });
let seq = 0;
const seedStart = performance.now();
for (let i = 0; i < N; i += 2500) {
  const batch: unknown[] = [];
  for (let j = i; j < Math.min(N, i + 2500); j++) {
    batch.push({
      id: `c${j}`,
      type: 'customer.upserted',
      at: iso(T0 - DAY),
      customerId: `cu${j}`,
      name: '测试',
      phone: `+86138${String(j).padStart(8, '0')}`,
      address: { province: ['广东省', '浙江省', '四川省'][j % 3], city: '市', line: '路1号' },
    });
    batch.push({
      id: `r${j}`,
      type: 'data.accessed',
      at: iso(T0 + j),
      principalId: 'agent-x',
      customerId: `cu${j}`,
      fields: ['name', 'phone'],
      channel: 'console',
    });
  }
  await t.ctx.services.events.ingest(batch);
}
console.log(`seeded ${N} customers and reads in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
const [inc] = await t.ctx.services.incidents.create(
  { title: 'bench', principalIds: ['agent-x'], fields: ['phone'], from: iso(T0 - DAY), to: iso(T0 + DAY) },
  null,
);
await t.ctx.services.incidents.contain(inc.id, null);
console.log(`incident ${inc.id}: ${inc.affected} affected`);

async function ingestRun(label: string): Promise<number[]> {
  const lat: number[] = [];
  for (let r = 0; r < REQUESTS; r++) {
    const events = Array.from({ length: 50 }, (_, k) => ({
      id: `b${seq++}`,
      type: 'data.accessed',
      at: iso(T0 + 2 * DAY + seq),
      principalId: 'agent-y',
      customerId: `cu${(r * 50 + k) % N}`,
      fields: ['name'],
      channel: 'console',
    }));
    const s = performance.now();
    const res = await t.app.inject({ method: 'POST', url: '/v1/events', headers: t.auth('ingest'), payload: events });
    lat.push(performance.now() - s);
    if (res.statusCode >= 300) throw new Error(`${label}: ${res.statusCode} ${res.body}`);
    await new Promise((res) => setTimeout(res, 20)); // a steady trickle of shop events
  }
  return lat.sort((a, b) => a - b);
}
const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const show = (label: string, xs: number[]) =>
  console.log(`${label.padEnd(22)} p50 ${q(xs, 0.5).toFixed(1)} ms  p95 ${q(xs, 0.95).toFixed(1)} ms  max ${xs.at(-1)!.toFixed(1)} ms`);

const base = await ingestRun('baseline');
show('ingest alone', base);
const ns = performance.now();
let notifyMs = 0;
const notifying = t.ctx.services.incidents.notify(inc.id, null).then((p) => {
  notifyMs = performance.now() - ns;
  return p;
});
const during: number[] = [];
// keep measuring until the notification run ends (at least one full run of requests)
do during.push(...(await ingestRun('during')));
while (!notifyMs);
during.sort((a, b) => a - b);
const p = await notifying;
show('ingest while notifying', during);
console.log(`notified ${p.enqueued} of ${p.affected} in ${(notifyMs / 1000).toFixed(1)} s`);
console.log(
  `ratio during/baseline: p50 ${(q(during, 0.5) / q(base, 0.5)).toFixed(2)}  p95 ${(q(during, 0.95) / q(base, 0.95)).toFixed(2)}  max ${(during.at(-1)! / base.at(-1)!).toFixed(2)}`,
);
await t.close();
