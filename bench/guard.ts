// Benchmarks for login protection (npx tsx bench/guard.ts [--quick] [--hashes N]):
//  1. decisions per second in-process: fanzha's engine and full service (HMAC keys, memory
//     counters) against the rate-limiter-flexible login recipe (the real library, RateLimiterMemory)
//     doing its counting on the same traffic;
//  2. over HTTP: POST /v1/logins/evaluate against a bare Fastify route, same client and load;
//  3. range lookups per second on a synthetic store of ≥ 100 million SHA-1 hashes (built under
//     bench/.cache/, deleted afterwards), with the process's memory use.
import { randomBytes, randomFillSync } from 'node:crypto';
import { openSync, writeSync, closeSync, rmSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import Fastify from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { generateTraffic, type LoginAttempt } from '../src/sim/logins/traffic.ts';
import { worldOptions } from '../src/sim/logins/evaluate.ts';
import { GuardEngine } from '../src/guard/guard.engine.ts';
import { GuardService } from '../src/guard/guard.service.ts';
import { MemoryCounterStore } from '../src/guard/counters/memory-counter-store.ts';
import { DEFAULT_GUARD_CONFIG } from '../src/guard/guard.config.ts';
import { ipPrefix } from '../src/guard/ip-prefix.ts';
import { FieldCipher, DerivedKeyRing } from '../src/vault/field-cipher.ts';
import { createLogger } from '../src/http/logger.ts';
import { Registry } from 'prom-client';
import { RECORDS_OFFSET, PREFIXES, RangeStore, recordBytes } from '../src/passwords/range-store.ts';
import { writeHeaderAndIndex } from '../src/passwords/range-store.writer.ts';
import { createTestApp } from '../src/testing/test-app.ts';
import { testDialects } from '../src/testing/dialects.ts';

const quick = process.argv.includes('--quick');
// --part inproc|http|ranges runs one part only (for profiling with node --cpu-prof).
const partArg = process.argv.indexOf('--part');
const part = partArg > 0 ? process.argv[partArg + 1] : undefined;
const hashesArg = process.argv.indexOf('--hashes');
const HASHES = hashesArg > 0 ? Number(process.argv[hashesArg + 1]) : quick ? 2_000_000 : 100_000_000;
const mb = (n: number) => (n / 1024 / 1024).toFixed(0) + ' MiB';

/** Runs `fn` over `n` attempts and answers its rate in wall time and in this process's CPU time. */
async function timed(label: string, n: number, fn: () => Promise<void>) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  await fn();
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  const rate = n / s;
  console.log(
    `  ${label.padEnd(44)} ${Math.round(rate).toLocaleString('en').padStart(10)} /s  (${n} in ${s.toFixed(2)} s; ${Math.round(n / cpu).toLocaleString('en')} /s of CPU time)`,
  );
  return { wall: rate, cpu: n / cpu };
}

async function inProcess(attempts: LoginAttempt[]) {
  const rounds = 3;
  console.log(
    `\n1. decisions in-process (${attempts.length} attempts of simulated mixed traffic, evaluate + result each; one untimed warm-up pass each, then ${rounds} alternating rounds, fresh state each, best round reported)`,
  );
  const engineRun = async () => {
    const engine = new GuardEngine(new MemoryCounterStore(), DEFAULT_GUARD_CONFIG);
    for (const a of attempts) {
      const at = { account: a.username, ip: a.ip, prefix: ipPrefix(a.ip)!, device: a.device, passwordBreached: a.passwordBreached };
      const e = await engine.evaluate(at);
      if (e.decision !== 'deny') await engine.record(at, a.outcome);
    }
  };
  const serviceRun = async () => {
    const service = new GuardService({
      cipher: new FieldCipher(new DerivedKeyRing(randomBytes(32))),
      store: new MemoryCounterStore(),
      config: DEFAULT_GUARD_CONFIG,
      logger: createLogger('silent'),
      registry: new Registry(),
      notifier: () => undefined,
    });
    for (const a of attempts) {
      const x = { username: a.username, ip: a.ip, deviceId: a.device, passwordBreached: a.passwordBreached };
      const e = await service.evaluate(x);
      if (e.decision !== 'deny') await service.result({ ...x, outcome: a.outcome });
    }
  };
  // The rate-limiter-flexible "login endpoint protection" recipe, as its wiki writes it (its
  // 90-day consecutive-failure window is capped at 24 days: RateLimiterMemory expires keys with
  // setTimeout, which cannot wait longer than 2^31 ms; no key here lives that long anyway).
  const recipeRun = async () => {
    const byIp = new RateLimiterMemory({ keyPrefix: 'login_fail_ip_per_day', points: 100, duration: 86400, blockDuration: 86400 });
    const byUserIp = new RateLimiterMemory({ keyPrefix: 'login_fail_consecutive_username_and_ip', points: 10, duration: 86400 * 24, blockDuration: 3600 });
    for (const a of attempts) {
      const key = `${a.username}_${a.ip}`;
      const [u, i] = await Promise.all([byUserIp.get(key), byIp.get(a.ip)]);
      if ((u && u.consumedPoints > 10) || (i && i.consumedPoints > 100)) continue;
      if (a.outcome === 'success') {
        if (u && u.consumedPoints > 0) await byUserIp.delete(key);
      } else {
        try {
          await Promise.all([byIp.consume(a.ip), byUserIp.consume(key)]);
        } catch {
          /* blocked: the recipe answers 429 */
        }
      }
    }
  };
  // Both sides compiled by the JIT before anything is timed: the figures are steady-state rates.
  await engineRun();
  await serviceRun();
  await recipeRun();
  const best = { fz: { wall: 0, cpu: 0 }, fzs: { wall: 0, cpu: 0 }, rlf: { wall: 0, cpu: 0 } };
  const keep = (b: { wall: number; cpu: number }, r: { wall: number; cpu: number }) => {
    b.wall = Math.max(b.wall, r.wall);
    b.cpu = Math.max(b.cpu, r.cpu);
  };
  for (let round = 0; round < rounds; round++) {
    keep(best.fz, await timed('fanzha engine (memory counters)', attempts.length, engineRun));
    keep(best.fzs, await timed('fanzha service (+ HMAC keys, metrics)', attempts.length, serviceRun));
    keep(best.rlf, await timed('rate-limiter-flexible login recipe', attempts.length, recipeRun));
  }
  const r = (x: number) => Math.round(x).toLocaleString('en');
  console.log(
    `  best rounds (wall): fanzha engine ${r(best.fz.wall)}/s, fanzha service ${r(best.fzs.wall)}/s, rate-limiter-flexible ${r(best.rlf.wall)}/s; (CPU time): ${r(best.fz.cpu)}, ${r(best.fzs.cpu)}, ${r(best.rlf.cpu)} /s`,
  );
  console.log(
    `  ratio fanzha engine / rate-limiter-flexible: ${(best.fz.wall / best.rlf.wall).toFixed(2)}× (CPU time ${(best.fz.cpu / best.rlf.cpu).toFixed(2)}×); fanzha service / rate-limiter-flexible: ${(best.fzs.wall / best.rlf.wall).toFixed(2)}× (CPU time ${(best.fzs.cpu / best.rlf.cpu).toFixed(2)}×)`,
  );
  return best;
}

function post(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function load(url: string, body: (i: number) => string, headers: Record<string, string>, seconds: number, concurrency = 16) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const u = new URL(url);
  let n = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      let i = w;
      while (Date.now() < end) {
        const status = await post(agent, u, body(i), headers);
        if (status !== 200) throw new Error(`HTTP ${status}`);
        n++;
        i += concurrency;
      }
    }),
  );
  agent.destroy();
  return n / seconds;
}

function postJson(agent: http.Agent, url: URL, body: string, headers: Record<string, string>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve(JSON.parse(text)));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function overHttp(attempts: LoginAttempt[]) {
  const seconds = quick ? 3 : 6;
  const rounds = quick ? 2 : 3;
  console.log(
    `\n2. over HTTP (keep-alive, 16 concurrent clients, ${rounds} alternating rounds of ${seconds} s after a 1 s warm-up each, same request bodies, best round reported)`,
  );
  const bodies = attempts
    .slice(0, 20000)
    .map((a) => JSON.stringify({ username: a.username, ip: a.ip, deviceId: a.device, passwordBreached: a.passwordBreached }));
  const body = (i: number) => bodies[i % bodies.length]!;
  // The bare route: Fastify defaults, no logger, no plugins, no authentication, a constant answer.
  const bare = Fastify();
  bare.post('/v1/logins/evaluate', async () => ({ decision: 'allow', reasons: [] }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/v1/logins/evaluate`;
  // fanzha as served: every plugin, API-key authentication, schema validation, the full engine.
  const t = await createTestApp(testDialects()[0]!, { logLevel: 'warn' });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/v1/logins/evaluate`;

  // Same results: over HTTP, evaluate + result for a stretch of traffic answers what the
  // in-process service answers for the same stretch on fresh counters.
  const agent = new http.Agent({ keepAlive: true });
  const service = new GuardService({
    cipher: new FieldCipher(new DerivedKeyRing(randomBytes(32))),
    store: new MemoryCounterStore(),
    config: DEFAULT_GUARD_CONFIG,
    logger: createLogger('silent'),
    registry: new Registry(),
    notifier: () => undefined,
  });
  let same = 0;
  const sample = attempts.slice(0, quick ? 1500 : 4000);
  for (const a of sample) {
    const x = { username: a.username, ip: a.ip, deviceId: a.device, passwordBreached: a.passwordBreached };
    const viaHttp = (await postJson(agent, new URL(url), JSON.stringify(x), t.auth('ingest'))) as { decision: string; reasons: string[] };
    const inProc = await service.evaluate(x);
    if (viaHttp.decision === inProc.decision && viaHttp.reasons.join() === inProc.reasons.join()) same++;
    if (inProc.decision !== 'deny') {
      await postJson(agent, new URL(url.replace('evaluate', 'result')), JSON.stringify({ ...x, outcome: a.outcome }), t.auth('ingest'));
      await service.result({ ...x, outcome: a.outcome });
    }
  }
  agent.destroy();
  console.log(`  same decisions and reasons over HTTP as in-process: ${same}/${sample.length}`);

  let bareRate = 0;
  let fzRate = 0;
  for (let r = 0; r < rounds; r++) {
    await load(bareUrl, body, {}, 1);
    bareRate = Math.max(bareRate, await load(bareUrl, body, {}, seconds));
    await load(url, body, t.auth('ingest'), 1);
    fzRate = Math.max(fzRate, await load(url, body, t.auth('ingest'), seconds));
  }
  await bare.close();
  await t.close();
  console.log(`  bare Fastify route                            ${Math.round(bareRate).toLocaleString('en').padStart(10)} /s`);
  console.log(`  fanzha POST /v1/logins/evaluate               ${Math.round(fzRate).toLocaleString('en').padStart(10)} /s`);
  console.log(`  ratio fanzha / bare Fastify: ${(fzRate / bareRate).toFixed(2)}×`);
  return { bareRate, fzRate, same, of: sample.length };
}

/** A synthetic sorted SHA-1 store: per prefix, hashes with an increasing 12-bit field then random bytes. */
function buildSyntheticStore(file: string, total: number) {
  const rb = recordBytes('sha1');
  const fd = openSync(file, 'w');
  const counts = new Uint32Array(PREFIXES);
  const per = total / PREFIXES;
  const chunk = Buffer.allocUnsafe(64 * 1024 * 1024);
  randomFillSync(chunk);
  let used = 0;
  let pos = RECORDS_OFFSET;
  let made = 0;
  for (let p = 0; p < PREFIXES; p++) {
    const n = Math.min(4096, Math.floor(per * (p + 1)) - Math.floor(per * p));
    if (used + n * rb > chunk.length) {
      writeSync(fd, chunk, 0, used, pos);
      pos += used;
      used = 0;
      randomFillSync(chunk);
    }
    for (let j = 0; j < n; j++) {
      const off = used + j * rb;
      const v = Math.floor((j * 4096) / n); // strictly increasing 12 bits: sorted within the prefix
      chunk[off] = ((p & 0xf) << 4) | (v >> 8);
      chunk[off + 1] = v & 0xff;
      chunk.writeUInt32BE(1 + (chunk[off + 2]! % 100), off + rb - 4);
    }
    used += n * rb;
    counts[p] = n;
    made += n;
  }
  writeSync(fd, chunk, 0, used, pos);
  writeHeaderAndIndex(fd, 'sha1', counts);
  closeSync(fd);
  return made;
}

async function ranges() {
  const dir = path.resolve('bench/.cache');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'synthetic-sha1.fzpw');
  console.log(`\n3. range lookups on a synthetic store of ${HASHES.toLocaleString('en')} SHA-1 hashes`);
  try {
    const t0 = Date.now();
    const made = buildSyntheticStore(file, HASHES);
    console.log(`  built ${made.toLocaleString('en')} hashes, ${mb(statSync(file).size)} on disk, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const before = process.memoryUsage();
    const store = await RangeStore.open(file);
    const seconds = quick ? 3 : 8;
    let n = 0;
    let lines = 0;
    const end = Date.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (Date.now() < end) {
          const prefix = Math.floor(Math.random() * PREFIXES)
            .toString(16)
            .padStart(5, '0')
            .toUpperCase();
          const r = await store.range(prefix);
          lines += r.length;
          n++;
        }
      }),
    );
    const after = process.memoryUsage();
    await store.close();
    const rate = n / seconds;
    console.log(`  ${Math.round(rate).toLocaleString('en')} range lookups/s (${(lines / n).toFixed(0)} suffixes each, formatted), 16 concurrent`);
    console.log(
      `  memory: rss ${mb(after.rss)} (store file ${mb(statSync(file).size)}), heap used ${mb(after.heapUsed)}, external ${mb(after.external)}; rss grew ${mb(after.rss - before.rss)} while serving`,
    );
    return { rate, rss: after.rss };
  } finally {
    rmSync(file, { force: true });
  }
}

const world = worldOptions({ seed: 7, customers: quick ? 2000 : 5000, days: quick ? 2 : 4, warmupDays: 3 });
const { attempts } = generateTraffic(world);
console.log(`fanzha guard benchmark — node ${process.version}, ${attempts.length} attempts${quick ? ' (quick)' : ''}`);
if (!part || part === 'inproc') await inProcess(attempts);
if (!part || part === 'http') await overHttp(attempts);
if (!part || part === 'ranges') await ranges();
