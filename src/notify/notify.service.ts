// The Notifier: validates a notice request and writes it to the outbox (in the caller's
// transaction when given). Delivery is the worker's job; nothing here talks to a provider.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Database } from '../db/database.ts';
import type { Notifier, NoticeRequest, SendOptions } from './notifier.port.ts';
import { enqueueWith, OutboxRepository, type NewNotice, type NoticeRow } from './outbox.repository.ts';
import { isTemplate } from './templates.ts';
import { DomainError } from '../lib/errors.ts';

/** A notice request that breaks a rule (400 in the API). */
export class NoticeRequestError extends DomainError {
  override name = 'NoticeRequestError';
  constructor(message: string) {
    super('invalid', message);
  }
}

const MAX_VARS = 20;

/** Card numbers (13–19 digits passing Luhn) and short all-digit codes must never be sent. */
function looksSensitive(name: string, value: string): boolean {
  if (/code|otp|password|pin|cvv/i.test(name)) return true;
  for (const m of value.replace(/[\s-]/g, '').match(/\d{13,19}/g) ?? []) {
    let sum = 0;
    for (let i = 0; i < m.length; i++) {
      let d = Number(m[m.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return true;
  }
  return false;
}

export class NotifyService implements Notifier {
  readonly outbox: OutboxRepository;
  constructor(
    private readonly database: Database,
    private readonly channelNames: () => string[],
    private readonly defaultChannel: string,
  ) {
    this.outbox = new OutboxRepository(database);
  }

  toNewNotice(req: NoticeRequest, source: string): NewNotice {
    if (!isTemplate(req.template)) throw new NoticeRequestError(`unknown template`);
    const channel = req.channel ?? this.defaultChannel;
    if (!this.channelNames().includes(channel))
      throw new NoticeRequestError(`channel "${channel}" is not configured (configured: ${this.channelNames().join(', ')})`);
    if (!req.idempotencyKey || req.idempotencyKey.length > 200) throw new NoticeRequestError('idempotencyKey must be 1–200 characters');
    if (!req.customerId || req.customerId.length > 128) throw new NoticeRequestError('customerId must be 1–128 characters');
    const vars = req.vars ?? {};
    if (Object.keys(vars).length > MAX_VARS) throw new NoticeRequestError(`at most ${MAX_VARS} variables`);
    for (const [k, v] of Object.entries(vars)) {
      if (typeof v !== 'string' && typeof v !== 'number') throw new NoticeRequestError(`variable "${k}" must be a string or number`);
      if (String(v).length > 200) throw new NoticeRequestError(`variable "${k}" is longer than 200 characters`);
      if (looksSensitive(k, String(v))) throw new NoticeRequestError(`variable "${k}" looks like a card number or code; notices never carry those`);
    }
    return { idempotencyKey: req.idempotencyKey, template: req.template, customerId: req.customerId, vars, channel, urgent: !!req.urgent, source };
  }

  async send(req: NoticeRequest, opts: SendOptions = {}) {
    return (await this.sendMany([req], opts))[0]!;
  }

  async sendMany(reqs: readonly NoticeRequest[], opts: SendOptions = {}) {
    const notices = reqs.map((r) => this.toNewNotice(r, opts.source ?? 'api'));
    return enqueueWith((opts.db ?? this.database.db) as Kysely<DB>, notices);
  }

  /** Notices whose idempotency key starts with the prefix (LIKE with its wildcards escaped). */
  private withPrefix(idempotencyKeyPrefix: string) {
    const like = idempotencyKeyPrefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
    return this.database.db.selectFrom('notices').where(sql<boolean>`idempotency_key LIKE ${like} ESCAPE '\\'`);
  }

  async statusCounts(idempotencyKeyPrefix: string): Promise<Record<string, number>> {
    const rows = await this.withPrefix(idempotencyKeyPrefix)
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async retryCounts(idempotencyKeyPrefix: string): Promise<{ retrying: number; retries: number }> {
    const r = await this.withPrefix(idempotencyKeyPrefix)
      .select([
        sql<number | string>`COALESCE(SUM(CASE WHEN status IN ('pending', 'sending') AND attempts > 0 THEN 1 ELSE 0 END), 0)`.as('retrying'),
        sql<number | string>`COALESCE(SUM(CASE WHEN attempts > 1 THEN attempts - 1 ELSE 0 END), 0)`.as('retries'),
      ])
      .executeTakeFirst();
    return { retrying: Number(r?.retrying ?? 0), retries: Number(r?.retries ?? 0) };
  }

  get(id: string): Promise<NoticeRow | undefined> {
    return this.outbox.get(id);
  }
}
