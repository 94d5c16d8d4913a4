// Each signal moves the decision as documented in docs/areas/guard.md.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GuardEngine, type Attempt, type Outcome } from './guard.engine.ts';
import { MemoryCounterStore } from './counters/memory-counter-store.ts';
import { DEFAULT_GUARD_CONFIG, loadGuardConfig } from './guard.config.ts';
import { ipPrefix } from './ip-prefix.ts';

function world() {
  let now = Date.UTC(2026, 10, 27, 12);
  const store = new MemoryCounterStore(() => now);
  const engine = new GuardEngine(store, DEFAULT_GUARD_CONFIG, () => now);
  const at = (account: string, ip: string, device?: string, passwordBreached = false): Attempt => ({
    account,
    ip,
    prefix: ipPrefix(ip)!,
    device,
    passwordBreached,
  });
  return {
    engine,
    at,
    tick: (ms: number) => (now += ms),
    rec: (a: Attempt, o: Outcome) => engine.record(a, o),
    evalOf: (a: Attempt) => engine.evaluate(a),
    /** A rotation attack: 40 attempts over 200 s, each from its own address all over the world, no device id. */
    async rotationAttack() {
      for (let i = 0; i < 40; i++) {
        now += 5_000;
        const a = at(`leaked${i}`, `${20 + i}.${i}.1.1`);
        await engine.evaluate(a);
        await engine.record(a, i % 3 ? 'unknown_user' : 'failure');
      }
    },
  };
}

describe('guard signals', () => {
  it('allows a first sign-in with nothing against it', async () => {
    const w = world();
    const e = await w.evalOf(w.at('alice', '198.51.100.7', 'd1'));
    assert.equal(e.decision, 'allow');
    assert.deepEqual(e.reasons, []);
  });

  it('challenges unknown devices from an IP with many failures, but not the account owner on a known device', async () => {
    const w = world();
    await w.rec(w.at('alice', '10.0.0.1', 'alice-phone'), 'success');
    for (let i = 0; i < 10; i++) await w.rec(w.at(`u${i % 2}`, '203.0.113.9'), 'failure');
    const stranger = await w.evalOf(w.at('bob', '203.0.113.9', 'new'));
    assert.equal(stranger.decision, 'challenge');
    assert.ok(stranger.reasons.includes('ip_failures'));
    const owner = await w.evalOf(w.at('alice', '203.0.113.9', 'alice-phone'));
    assert.equal(owner.decision, 'allow');
  });

  it('adds up failures across a /24 and across an IPv6 /56', async () => {
    const w = world();
    for (let i = 0; i < 30; i++) await w.rec(w.at(`acct${i % 3}`, `192.0.2.${i + 1}`), 'failure');
    const e = await w.evalOf(w.at('carol', '192.0.2.200'));
    assert.ok(e.reasons.includes('prefix_failures'), e.reasons.join());
    for (let i = 0; i < 30; i++) await w.rec(w.at(`acct${i % 3}`, `2001:db8:1:ab${(i % 16).toString(16)}0::${i + 1}`), 'failure');
    const v6 = await w.evalOf(w.at('carol', '2001:db8:1:abff::1'));
    assert.ok(v6.reasons.includes('prefix_failures'), v6.reasons.join());
    const other = await w.evalOf(w.at('carol', '2001:db8:1:ac00::1'));
    assert.ok(!other.reasons.includes('prefix_failures'));
  });

  it('challenges an IP, prefix or device trying many usernames', async () => {
    const w = world();
    for (let i = 0; i < 4; i++) await w.rec(w.at(`victim${i}`, '198.51.100.50', `bot`), 'failure');
    const e = await w.evalOf(w.at('victim9', '198.51.100.50', 'bot'));
    assert.equal(e.decision, 'challenge');
    assert.ok(e.reasons.includes('ip_many_usernames'));
    assert.ok(e.reasons.includes('device_many_usernames'));
  });

  it('challenges an IP naming unknown usernames', async () => {
    const w = world();
    for (let i = 0; i < 3; i++) await w.rec(w.at(`ghost${i}`, '198.51.100.60'), 'unknown_user');
    const e = await w.evalOf(w.at('someone', '198.51.100.60'));
    assert.ok(e.reasons.includes('ip_unknown_usernames'));
  });

  it('challenges new devices on an account under guessing, and denies after many failures', async () => {
    const w = world();
    for (let i = 0; i < 10; i++) await w.rec(w.at('dave', `100.64.${i}.1`), 'failure');
    const e = await w.evalOf(w.at('dave', '100.70.0.1', 'fresh'));
    assert.equal(e.decision, 'challenge');
    assert.ok(e.reasons.includes('account_failures'));
    for (let i = 10; i < 25; i++) await w.rec(w.at('dave', `100.64.${i}.1`), 'failure');
    const d = await w.evalOf(w.at('dave', '100.70.0.1', 'fresh'));
    assert.equal(d.decision, 'deny');
    assert.ok(d.reasons.includes('account_locked'));
    assert.equal(d.retryAfter, DEFAULT_GUARD_CONFIG.denyRetryAfter);
  });

  it('challenges even a known device after 10 consecutive failures, and a success resets that', async () => {
    const w = world();
    await w.rec(w.at('erin', '10.1.1.1', 'erin-laptop'), 'success');
    for (let i = 0; i < 10; i++) await w.rec(w.at('erin', '10.1.1.1', 'erin-laptop'), 'failure');
    assert.equal((await w.evalOf(w.at('erin', '10.1.1.1', 'erin-laptop'))).decision, 'challenge');
    await w.rec(w.at('erin', '10.1.1.1', 'erin-laptop'), 'success');
    assert.equal((await w.evalOf(w.at('erin', '10.1.1.1', 'erin-laptop'))).decision, 'allow');
  });

  it('denies an IP that only fails, at volume, and a device cycling through accounts', async () => {
    const w = world();
    for (let i = 0; i < 100; i++) await w.rec(w.at(`x${i % 7}`, '198.51.100.99'), 'failure');
    const e = await w.evalOf(w.at('frank', '198.51.100.99'));
    assert.equal(e.decision, 'deny');
    assert.ok(e.reasons.includes('ip_blocked'));
    for (let i = 0; i < 20; i++) await w.rec(w.at(`y${i}`, `203.0.113.${i + 1}`, 'one-bot'), 'failure');
    const d = await w.evalOf(w.at('gina', '192.0.2.1', 'one-bot'));
    assert.equal(d.decision, 'deny');
    assert.ok(d.reasons.includes('device_blocked'));
  });

  it('does not hold a busy shared gateway (carrier NAT) against new devices', async () => {
    const w = world();
    for (let i = 0; i < 40; i++) await w.rec(w.at(`cust${i}`, '117.136.0.1', `d${i}`), i % 5 === 0 ? 'failure' : 'success');
    for (let i = 0; i < 10; i++) await w.rec(w.at(`cust${i}`, '117.136.0.1', `d${i}`), 'failure');
    const e = await w.evalOf(w.at('newcomer', '117.136.0.1', 'brand-new'));
    assert.equal(e.decision, 'allow', e.reasons.join());
  });

  it('challenges a breached password from a new device on a new network only', async () => {
    const w = world();
    assert.deepEqual((await w.evalOf(w.at('hana', '198.51.100.1', 'new', true))).reasons, ['breached_password']);
    await w.rec(w.at('hana', '198.51.100.1', 'old'), 'success');
    assert.equal((await w.evalOf(w.at('hana', '198.51.100.2', 'another', true))).decision, 'allow');
    assert.equal((await w.evalOf(w.at('hana', '198.51.100.2', 'old', true))).decision, 'allow');
  });

  it('keeps the surge on while challenged bots abandon their attempts', async () => {
    const w = world();
    for (let i = 0; i < 200; i++) {
      w.tick(20_000);
      const a = w.at(`leaked${i}`, `${30 + (i % 150)}.${i % 250}.2.1`);
      const e = await w.evalOf(a);
      if (e.decision === 'allow') await w.rec(a, 'unknown_user');
    }
    assert.equal((await w.evalOf(w.at('late', '45.45.45.45'))).signals.surge, true);
  });

  it('detects a global surge of failing fresh devices and tightens: new device + new network is challenged', async () => {
    const w = world();
    await w.rec(w.at('ivan', '10.9.9.9', 'ivan-phone'), 'success');
    const before = await w.evalOf(w.at('ivan', '172.20.1.1', 'ivan-new-phone'));
    assert.equal(before.decision, 'allow');
    await w.rotationAttack();
    const during = await w.evalOf(w.at('ivan', '172.20.1.1', 'ivan-new-phone'));
    assert.equal(during.signals.surge, true);
    // new device, new /24, new provider: unlike anything in ivan's history
    assert.deepEqual(during.reasons, ['attack_unfamiliar']);
    // the same new phone at home (a network the account used) is not disturbed, nor on another
    // /24 of his provider at his usual time of day
    assert.equal((await w.evalOf(w.at('ivan', '10.9.9.9', 'ivan-new-phone'))).decision, 'allow');
    assert.equal((await w.evalOf(w.at('ivan', '10.9.7.7', 'ivan-new-phone'))).decision, 'allow');
    // and the surge ends once the attack has gone for longer than the longest window
    w.tick(2 * 3_600_000);
    assert.equal((await w.evalOf(w.at('ivan', '172.20.1.1', 'ivan-new-phone'))).decision, 'allow');
  });

  it("under attack, passes a new-on-every-axis sign-in through a calm provider of the shop's regulars, and asks it where the attack is", async () => {
    const w = world();
    // five regular customers sign in on their own phones through provider 10.50.0.0/16
    for (let i = 0; i < 5; i++) {
      const own = w.at(`reg${i}`, `10.50.${i}.1`, `reg${i}-phone`);
      await w.rec(own, 'success');
      await w.evalOf(own);
      await w.rec(own, 'success');
    }
    await w.rec(w.at('ivan', '10.9.9.9', 'ivan-phone'), 'success');
    await w.rec(w.at('olga', '10.8.8.8', 'olga-phone'), 'success');
    await w.rotationAttack();
    // ivan's new phone on that provider (new /24, new provider for him) is like the regulars'
    const ivanNew = w.at('ivan', '10.50.77.1', 'ivan-new-phone');
    const calm = await w.evalOf(ivanNew);
    assert.equal(calm.signals.surge, true);
    assert.deepEqual(calm.reasons, []);
    await w.rec(ivanNew, 'success');
    // a regular's typo on their own phone is not what stuffing is made of: it moves nothing
    const typo = w.at('reg0', '10.50.0.1', 'reg0-phone');
    await w.evalOf(typo);
    await w.rec(typo, 'failure');
    assert.deepEqual((await w.evalOf(w.at('olga', '10.50.78.1', 'olga-new-phone'))).reasons, []);
    // the same phone from a provider nobody here uses proves itself
    assert.deepEqual((await w.evalOf(w.at('olga', '172.20.1.1', 'olga-new-phone'))).reasons, ['attack_unfamiliar']);
    // bots move inside the regulars' provider and inside olga's own, and abandon their challenged
    // attempts (no results): counted when evaluated, they make both providers attacked
    for (let i = 0; i < 20; i++) {
      await w.evalOf(w.at(`leaked-b${i}`, `10.50.${100 + i}.9`, `bot${i}`));
      await w.evalOf(w.at(`leaked-c${i}`, `10.8.${100 + i}.9`, `bot${i}`));
    }
    const attacked = await w.evalOf(w.at('olga', '10.50.79.1', 'olga-new-phone'));
    // evaluated: ivan's and olga's new phones and the 20 bots; succeeded on a device their account
    // did not know yet: the regulars' first sign-ins and ivan's
    assert.equal(attacked.signals.providerUnknownDeviceAttemptsHour, 22);
    assert.equal(attacked.signals.providerUnknownDeviceSuccessesHour, 6);
    assert.equal(attacked.signals.providerSuccessfulAccountsHour, 6);
    assert.deepEqual(attacked.reasons, ['attack_unfamiliar']);
    // inside her own provider, on a new /24 with her new phone: asked, because the attack is there
    assert.deepEqual((await w.evalOf(w.at('olga', '10.8.7.7', 'olga-new-phone'))).reasons, ['provider_attacked']);
    // her old phone is never disturbed
    assert.equal((await w.evalOf(w.at('olga', '10.8.7.7', 'olga-phone'))).decision, 'allow');
  });

  it('ignores legitimate username typos from known devices when measuring surges', async () => {
    const w = world();
    for (let i = 0; i < 60; i++) {
      await w.rec(w.at(`c${i}`, `10.2.${i}.1`, `dev${i}`), 'success');
      const typo = w.at(`c${i}-typo`, `10.2.${i}.1`, `dev${i}`);
      await w.evalOf(typo);
      await w.rec(typo, 'unknown_user');
    }
    assert.equal((await w.evalOf(w.at('z', '10.3.0.1', 'z'))).signals.surge, false);
  });

  it('counts a result reported twice with the same attempt id once', async () => {
    const w = world();
    const a = { ...w.at('kim', '198.51.100.80'), attemptId: 'att-1' };
    for (let i = 0; i < 12; i++) await w.rec(a, 'failure');
    assert.equal((await w.evalOf(a)).signals.accountFailuresHour, 1);
    assert.equal((await w.rec(a, 'failure')).duplicate, true);
  });

  it('challenges a prefix where many usernames fail, and a device failing repeatedly', async () => {
    const w = world();
    for (let i = 0; i < 12; i++) await w.rec(w.at(`p${i}`, `192.0.2.${i + 1}`), 'failure');
    const e = await w.evalOf(w.at('lee', '192.0.2.99'));
    assert.ok(e.reasons.includes('prefix_many_usernames'), e.reasons.join());
    for (let i = 0; i < 10; i++) await w.rec(w.at('mo', `100.${i}.0.1`, 'tablet'), 'failure');
    const d = await w.evalOf(w.at('mo', '100.99.0.1', 'tablet'));
    assert.ok(d.reasons.includes('device_failures'), d.reasons.join());
  });

  it('validates its configuration', () => {
    assert.throws(() => loadGuardConfig({ failMode: 'sideways' }), /failMode/);
    assert.throws(() => loadGuardConfig({ thresholds: { ipFailuresHour: -1 } }), /ipFailuresHour/);
    assert.equal(loadGuardConfig({ thresholds: { ipFailuresHour: 3 } }).thresholds.prefixFailuresHour, 30);
  });
});

describe('ip prefixes', () => {
  it('groups IPv4 by /24 and IPv6 by /56, including mapped and compressed forms', () => {
    assert.equal(ipPrefix('203.0.113.77'), '203.0.113.0/24');
    assert.equal(ipPrefix('::ffff:203.0.113.77'), '203.0.113.0/24');
    assert.equal(ipPrefix('2001:db8:12:34ab::1'), '2001:0db8:0012:3400::/56');
    assert.equal(ipPrefix('2001:db8:12:3456:1:2:3:4'), '2001:0db8:0012:3400::/56');
    assert.equal(ipPrefix('not an ip'), null);
  });
});
