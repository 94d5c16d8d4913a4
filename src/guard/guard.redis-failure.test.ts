// Fail-open and fail-closed on a Redis that stops, and recovery when it comes back. Uses a
// private redis-server on a random port (never the shared one), started and killed here.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp, type TestApp } from '../testing/test-app.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    if (
      spawnSync('redis-cli', ['-p', String(port), 'ping'])
        .stdout?.toString()
        .trim() === 'PONG'
    )
      return p;
    await sleep(100);
  }
  p.kill('SIGKILL');
  throw new Error('private redis-server did not start');
}

async function stopRedis(p: ChildProcess) {
  const exited = new Promise((r) => p.once('exit', r));
  p.kill('SIGKILL');
  await exited;
}

describe('guard counters on a Redis that stops and comes back', () => {
  let port: number;
  let redis: ChildProcess | undefined;
  let open: TestApp;
  let closed: TestApp;
  before(async () => {
    assert.equal(spawnSync('redis-server', ['--version']).status, 0, 'redis-server must be installed for this test');
    port = await freePort();
    redis = await startRedis(port);
    const env = { FANZHA_REDIS: `redis://127.0.0.1:${port}` };
    // A stopped Redis refuses at once, so a wide timeout does not slow the failure cases; the
    // production 250 ms would turn a loaded machine's pause into a spurious counters_unavailable.
    const guard = { redisCommandTimeoutMs: 3000 };
    open = await createTestApp(testDialects()[0]!, { env, areas: { guard: { ...guard, failMode: 'open' } } });
    closed = await createTestApp(testDialects()[0]!, { env, areas: { guard: { ...guard, failMode: 'closed' } } });
  });
  after(async () => {
    await open?.close();
    await closed?.close();
    if (redis && redis.exitCode === null) await stopRedis(redis);
  });

  const evaluate = (t: TestApp) =>
    t.app
      .inject({ method: 'POST', url: '/v1/logins/evaluate', headers: t.auth('ingest'), payload: { username: 'a@b.cn', ip: '192.0.2.1' } })
      .then((r) => r.json());

  it('uses Redis while it is up', async () => {
    assert.deepEqual(await evaluate(open), { decision: 'allow', reasons: [] });
    const ready = await open.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ready.statusCode, 200);
    assert.match(ready.json().checks['guard-counters'], /^ok \(redis\)/);
  });

  it('fails open or closed as configured when Redis stops, and says so', async () => {
    await stopRedis(redis!);
    const o = await evaluate(open);
    assert.deepEqual(o, { decision: 'allow', reasons: ['counters_unavailable'] });
    const c = await evaluate(closed);
    assert.equal(c.decision, 'deny');
    assert.deepEqual(c.reasons, ['counters_unavailable']);
    assert.ok(c.retryAfter > 0);
    const ro = await open.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(ro.statusCode, 200);
    assert.match(ro.json().checks['guard-counters'], /degraded/);
    const rc = await closed.app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(rc.statusCode, 503);
    assert.equal(rc.json().checks['guard-counters'], 'unavailable');
    const m = await open.app.inject({ method: 'GET', url: '/metrics' });
    assert.match(m.body, /fanzha_guard_counters_up 0/);
    assert.match(m.body, /fanzha_guard_counters_unavailable_total [1-9]/);
  });

  it('recovers by itself when Redis is back', async () => {
    redis = await startRedis(port);
    let last: { reasons: string[] } = { reasons: ['counters_unavailable'] };
    for (let i = 0; i < 60 && last.reasons.includes('counters_unavailable'); i++) {
      await sleep(100);
      last = await evaluate(open);
    }
    assert.deepEqual(last, { decision: 'allow', reasons: [] });
    for (let i = 0; i < 60; i++) {
      const c = await evaluate(closed);
      if (c.decision === 'allow') break;
      await sleep(100);
    }
    assert.equal((await evaluate(closed)).decision, 'allow');
    const m = await open.app.inject({ method: 'GET', url: '/metrics' });
    assert.match(m.body, /fanzha_guard_counters_up 1/);
    assert.equal((await closed.app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200);
  });
});
