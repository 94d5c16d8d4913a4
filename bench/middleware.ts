// Overhead of the staff-tool middleware (fanzha/client/middleware) per request.
//   baseline: an Express app serving GET /admin/orders/:orderId (a JSON body), no middleware
//   with:     the same app with fanzhaExpress recording every request as data.accessed, batched in
//             the background to a real fanzha (in this process, SQLite, listening on a port)
// Both apps are driven by the same sequential keep-alive HTTP client in alternating rounds; the
// figure is the median time per request of each and their ratio (and the difference in µs).
// Also: the middleware's own synchronous cost (match + record) per call, without HTTP.
// Usage: npx tsx bench/middleware.ts [requests=5000] [rounds=3]
import type { AddressInfo } from 'node:net';
import { request, Agent } from 'node:http';
import express from 'express';
import { testDialects, tempDir } from '../src/testing/dialects.ts';
import { createTestApp } from '../src/testing/test-app.ts';
import { AccessRecorder, fanzhaExpress } from '../src/client/middleware/index.ts';
import { median } from '../src/lib/median.ts';

const N = Number(process.argv[2] ?? 5000);
const ROUNDS = Number(process.argv[3] ?? 3);

const fanzha = await createTestApp(testDialects()[0]!, { logLevel: 'error' });
const fanzhaUrl = await fanzha.app.listen({ port: 0, host: '127.0.0.1' });
const recorder = new AccessRecorder({
  fanzha: { baseUrl: fanzhaUrl, apiKey: fanzha.keys.ingest },
  rules: [{ path: '/admin/orders/:orderId', fields: ['name', 'phone', 'address'], orderId: 'orderId' }],
  bufferFile: `${tempDir()}/reads.ndjson`,
  whenFull: 'fail-open',
});

async function serve(withMiddleware: boolean) {
  const app = express();
  if (withMiddleware) app.use(fanzhaExpress(recorder, { principal: (req) => req.headers['x-staff'] as string | undefined }));
  app.get('/admin/orders/:orderId', (req, res) => void res.json({ orderId: req.params.orderId, items: [{ sku: 'A', qty: 1 }] }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, port: (server.address() as AddressInfo).port };
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const get = (port: number, i: number) =>
  new Promise<void>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/admin/orders/o${i % 100}`, agent, headers: { 'x-staff': 'staff-1' } }, (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end();
  });

async function run(port: number): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await get(port, i);
  return Number(process.hrtime.bigint() - t0) / 1e3 / N; // µs per request
}

const plain = await serve(false);
const withMw = await serve(true);
for (let i = 0; i < 300; i++) {
  await get(plain.port, i); // warm-up
  await get(withMw.port, i);
}
const base: number[] = [];
const mw: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  base.push(await run(plain.port));
  mw.push(await run(withMw.port));
}
await recorder.flush();

// the synchronous part alone: what the middleware adds before next() and on 'finish'
const m = recorder.match('GET', '/admin/orders/o1')!;
const K = 5_000; // below the queue bound, so no overflow handling is timed
const t0 = process.hrtime.bigint();
for (let i = 0; i < K; i++) recorder.record(recorder.match('GET', `/admin/orders/o${i}`) ?? m, 'staff-1');
const syncUs = Number(process.hrtime.bigint() - t0) / 1e3 / K;
await recorder.close();

const b = median(base)!;
const w = median(mw)!;
console.log(`requests per round ${N}, rounds ${ROUNDS}`);
console.log(`baseline (Express, no middleware): ${b.toFixed(1)} µs/request  rounds ${base.map((x) => x.toFixed(1)).join(', ')}`);
console.log(`with fanzhaExpress:                ${w.toFixed(1)} µs/request  rounds ${mw.map((x) => x.toFixed(1)).join(', ')}`);
console.log(`ratio ${(w / b).toFixed(3)}  added ${(w - b).toFixed(1)} µs/request`);
console.log(
  `match + record alone: ${syncUs.toFixed(2)} µs/call; recorded ${recorder.stats.recorded}, sent ${recorder.stats.sent}, buffered ${recorder.stats.buffered}, dropped ${recorder.stats.dropped}`,
);
plain.server.close();
withMw.server.close();
agent.destroy();
await fanzha.close();
