// Login protection for the shop: evaluate before the password check, record the result after.
// Usernames and device ids are personal data: they become keyed HMACs (blind indexes) before
// anything else sees them, and they are never logged. Responses have the same shape whether or
// not a username exists, and evaluate does the same work either way.
import { createHash, createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { Notifier, NoticeTemplate } from '../notify/notifier.port.ts';
import { GuardEngine, type Decision, type Outcome, type Reason } from './guard.engine.ts';
import type { GuardConfig } from './guard.config.ts';
import type { CounterStore } from './counters/counter-store.ts';
import { CountersUnavailable } from './counters/resilient-counter-store.ts';
import { ipPrefix, normalizeIp, prefixOfNormalized } from './ip-prefix.ts';
import { DomainError } from '../lib/errors.ts';
import type { GuardStats } from './guard.stats.ts';

export interface LoginIdentity {
  username?: string;
  customerId?: string;
  ip: string;
  deviceId?: string;
  userAgent?: string;
  passwordBreached?: boolean;
}

export interface EvaluateResult {
  decision: Decision;
  reasons: Reason[];
  retryAfter?: number;
}

export interface ResultResponse {
  recorded: boolean;
  /** Ask the customer to choose a new password now (they signed in with a breached one). */
  requirePasswordReset: boolean;
  /** Notices sent to the account owner for this sign-in. */
  notices: NoticeTemplate[];
}

/** A request the guard cannot judge (400 in the API). */
export class GuardInputError extends DomainError {
  override name = 'GuardInputError';
  constructor(message: string) {
    super('invalid', message);
  }
}

export interface GuardDeps {
  cipher: FieldCipher;
  store: CounterStore;
  config: GuardConfig;
  logger: Logger;
  registry: Registry;
  stats?: GuardStats;
  notifier: () => Notifier | undefined;
  /** For webhook notices; injectable for tests. */
  fetch?: typeof fetch;
}

export function normalizeUsername(u: string): string {
  return u.normalize('NFKC').trim().toLowerCase();
}

export class GuardService {
  readonly engine: GuardEngine;
  private readonly decisions: Counter<'decision'>;
  private readonly unavailable: Counter;
  readonly countersUp: Gauge;

  constructor(private readonly d: GuardDeps) {
    this.engine = new GuardEngine(d.store, d.config);
    const get = <T>(name: string) => d.registry.getSingleMetric(name) as T | undefined;
    this.decisions =
      get('fanzha_guard_decisions_total') ??
      new Counter({ name: 'fanzha_guard_decisions_total', help: 'Login decisions by outcome', labelNames: ['decision'] as const, registers: [d.registry] });
    this.unavailable =
      get('fanzha_guard_counters_unavailable_total') ??
      new Counter({
        name: 'fanzha_guard_counters_unavailable_total',
        help: 'Login calls answered without counters (fail mode applied)',
        registers: [d.registry],
      });
    this.countersUp =
      get('fanzha_guard_counters_up') ??
      new Gauge({ name: 'fanzha_guard_counters_up', help: '1 when the login counters (memory or Redis) answer', registers: [d.registry] });
    this.countersUp.set(1);
  }

  /** Pings the counters; the resilient store updates health, gauge and logs on a change. */
  probe(): Promise<void> {
    return this.d.store.ping();
  }

  private attempt(x: LoginIdentity & { attemptId?: string }) {
    const ip = normalizeIp(x.ip);
    if (!ip) throw new GuardInputError('ip must be an IPv4 or IPv6 address');
    const name = x.username !== undefined ? normalizeUsername(x.username) : undefined;
    if (name === '' || (name === undefined && !x.customerId)) throw new GuardInputError('send username or customerId');
    const c = this.d.cipher;
    return {
      account: name !== undefined ? c.blindIndex('username', name) : c.blindIndex('login-customer', x.customerId!),
      ip: c.blindIndex('login-ip', ip),
      prefix: prefixOfNormalized(ip),
      device: x.deviceId ? c.blindIndex('login-device', x.deviceId) : undefined,
      passwordBreached: x.passwordBreached === true,
      attemptId: x.attemptId ? c.blindIndex('login-attempt', x.attemptId) : undefined,
    };
  }

  async evaluate(x: LoginIdentity): Promise<EvaluateResult> {
    const a = this.attempt(x);
    let r: EvaluateResult;
    try {
      const e = await this.engine.evaluate(a);
      r = { decision: e.decision, reasons: e.reasons, ...(e.retryAfter ? { retryAfter: e.retryAfter } : {}) };
    } catch (e) {
      if (!(e instanceof CountersUnavailable)) throw e;
      this.unavailable.inc();
      const mode = this.d.config.failMode;
      r =
        mode === 'open'
          ? { decision: 'allow', reasons: ['counters_unavailable'] }
          : mode === 'challenge'
            ? { decision: 'challenge', reasons: ['counters_unavailable'] }
            : { decision: 'deny', reasons: ['counters_unavailable'], retryAfter: 30 };
    }
    this.decisions.inc({ decision: r.decision });
    this.d.stats?.decision(r.decision, a.prefix);
    return r;
  }

  async result(x: LoginIdentity & { outcome: Outcome; attemptId?: string }): Promise<ResultResponse> {
    const a = this.attempt(x);
    const out: ResultResponse = { recorded: false, requirePasswordReset: false, notices: [] };
    // A breached password that just worked must be changed, counters or not.
    if (x.outcome === 'success' && a.passwordBreached) out.requirePasswordReset = true;
    let rec;
    try {
      rec = await this.engine.record(a, x.outcome);
      out.recorded = true;
      // A retried call: counters were not touched again; notices keep their idempotency keys.
    } catch (e) {
      if (!(e instanceof CountersUnavailable)) throw e;
      this.unavailable.inc();
    }
    if (x.outcome !== 'success' && !rec?.duplicate) this.d.stats?.failure(a.prefix);
    if (x.outcome === 'success' && x.customerId) {
      const notices: NoticeTemplate[] = [];
      if (a.passwordBreached) notices.push('login.breached_password');
      // A sign-in from a new device after a run of failures (or during an attack) is how a
      // takeover looks from the owner's side: tell them, so they can act if it was not them.
      if (rec && !rec.deviceKnown && (rec.consecutiveBefore >= 3 || rec.surge)) notices.push('login.new_device');
      for (const t of notices) if (await this.notify(t, x.customerId, x, rec?.consecutiveBefore ?? 0)) out.notices.push(t);
    }
    return out;
  }

  private async notify(template: NoticeTemplate, customerId: string, x: LoginIdentity & { attemptId?: string }, failures: number): Promise<boolean> {
    // One notice per sign-in: the attempt id when the shop sends one, else the device and hour.
    const basis = x.attemptId ?? `${x.deviceId ?? '-'}|${Math.floor(Date.now() / 3_600_000)}`;
    const idempotencyKey = `guard:${template}:${createHash('sha256').update(`${customerId}|${basis}`).digest('base64url').slice(0, 24)}`;
    const vars = { failures, network: ipPrefix(x.ip) ?? '', at: new Date().toISOString() };
    try {
      // A configured webhook wins: the shop chose to send these notices itself. Otherwise
      // fanzha's own notifications (outbox, templates, channels) deliver them.
      const hook = this.d.config.webhook;
      if (!hook) {
        const n = this.d.notifier();
        if (!n) return false;
        await n.send({ customerId, template, idempotencyKey, vars, urgent: true });
        return true;
      }
      const body = JSON.stringify({ type: 'guard.notice', customerId, template, idempotencyKey, vars });
      const ts = Math.floor(Date.now() / 1000);
      const sig = createHmac('sha256', hook.secret).update(`${ts}.${body}`).digest('hex');
      const res = await (this.d.fetch ?? fetch)(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-fanzha-timestamp': String(ts),
          'x-fanzha-signature': `sha256=${sig}`,
          'idempotency-key': idempotencyKey,
        },
        body,
        signal: AbortSignal.timeout(3000),
      });
      return res.ok;
    } catch (e) {
      this.d.logger.warn({ template, err: e }, 'guard: owner notice failed');
      return false;
    }
  }
}
