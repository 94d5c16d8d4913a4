// Delivers outbox notices. Each round claims due notices under a lease (several workers or nodes
// may run: PostgreSQL claims with FOR UPDATE SKIP LOCKED, SQLite serialises writers), then for each:
// resolve the recipient (a refund may have arrived before its order), apply quiet hours and the
// per-customer rate limit (urgent scam warnings bypass both), render, deliver, and record the
// outcome fenced by the lease. While a round runs, the leases of its unfinished notices are renewed
// every third of the lease, so a slow delivery (a provider taking 90 s) is never claimed and sent
// again by another node; the lease can therefore stay short (default 8 s) and a worker killed
// mid-delivery is taken over within seconds: its lease expires, the notice is claimed again and sent
// with the same idempotency key, so the receiver can drop the repeat. On shutdown the notices
// claimed but not yet started are handed back at once (pending, the claim's attempt undone).
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Database } from '../db/database.ts';
import type { NotifyConfig } from './notify.config.ts';
import { OutboxRepository, type NoticeRow } from './outbox.repository.ts';
import { ChannelError, type Channel, type Recipient } from './channels/channel.ts';
import { backoffDelay, quietHoursEnd, timeZoneForPhone } from './delivery-policy.ts';
import { toRecipient, type RecipientFlags, type RecipientSource } from './recipient.ts';
import type { ClearFields } from '../vault/system-reader.ts';
import { isTemplate, renderNotice, type Lang, type RenderedNotice } from './templates.ts';
import type { NoticeTemplate } from './notifier.port.ts';
import { chooseChannel, ROUTE_CHANNEL } from './routing.ts';
import { pickLang } from './templates.ts';

export interface WorkerDeps {
  database: Database;
  /**
   * Recipients: the shop's customer flags and the vault's gate, which records each read of contact
   * data in the access log before opening it and throws when it cannot (the notice then waits,
   * unsent: fail closed).
   */
  recipients: RecipientSource;
  channels: Map<string, Channel>;
  config: NotifyConfig;
  logger: Logger;
  registry?: Registry;
  now?: () => number;
  rand?: () => number;
  /**
   * Renders a notice's subject and text: the texts edited in the console when there are (see
   * template-overrides.ts); without it, the built-in texts.
   */
  render?: (template: NoticeTemplate, lang: Lang, vars: Record<string, string | number>) => Promise<RenderedNotice>;
}

export type Outcome = 'sent' | 'retry' | 'dead' | 'deferred' | 'lost-lease' | 'suppressed' | 'unreachable';

export class OutboxWorker {
  readonly owner = `w_${randomBytes(6).toString('hex')}`;
  private readonly repo: OutboxRepository;
  private readonly now: () => number;
  private readonly counter?: Counter<'outcome' | 'channel'>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = true;
  /** Set by stop(): rounds start no further notice. */
  private stopping = false;

  constructor(private readonly deps: WorkerDeps) {
    this.repo = new OutboxRepository(deps.database);
    this.now = deps.now ?? Date.now;
    if (deps.registry) {
      this.counter = new Counter({
        name: 'fanzha_notices_total',
        help: 'Notice delivery attempts by outcome and channel',
        labelNames: ['outcome', 'channel'] as const,
        registers: [deps.registry],
      });
    }
  }

  /** One round: claims a batch and works through it; returns how many notices were claimed. */
  async runOnce(): Promise<number> {
    const cfg = this.deps.config;
    const claimed = await this.repo.claim(this.owner, this.now(), cfg.leaseMs, cfg.batchSize);
    if (!claimed.length) return 0;
    const held = new Set(claimed.map((r) => r.id));
    const heartbeat = setInterval(
      () => {
        this.repo
          .renew([...held], this.owner, this.now() + cfg.leaseMs)
          .catch((e) => this.deps.logger.warn({ err: { name: (e as Error).name } }, 'notify: lease renewal failed'));
      },
      Math.max(20, Math.floor(cfg.leaseMs / 3)),
    );
    try {
      await this.work(claimed, held);
    } finally {
      clearInterval(heartbeat);
    }
    return claimed.length;
  }

  private async work(claimed: NoticeRow[], held: Set<string>) {
    const cfg = this.deps.config;
    // One query for the batch's recipients instead of one per notice.
    const flags = await this.deps.recipients.flags([...new Set(claimed.map((r) => r.customer_id).filter((x): x is string => !!x))]);
    // One access-log append for the batch's reads; if it fails, nothing is decrypted this round.
    let logged = true;
    let clear = new Map<string, ClearFields>();
    try {
      clear = await this.deps.recipients.read(
        claimed.flatMap((r) => {
          const f = r.customer_id ? flags.get(r.customer_id) : undefined;
          if (!f || f.canary) return [];
          const name = r.channel === ROUTE_CHANNEL ? this.route(r, f).channel : r.channel;
          // an unreachable customer's contact data is not read at all
          return name ? [{ customerId: r.customer_id!, needs: this.deps.channels.get(name)?.needs ?? 'phone', template: r.template }] : [];
        }),
      );
    } catch (e) {
      logged = false;
      this.deps.logger.error({ err: { name: (e as Error).name } }, 'notify: access log unavailable; contact data not read');
    }
    let next = 0;
    const lane = async () => {
      while (next < claimed.length && !this.stopping) {
        const row = claimed[next++]!;
        const outcome = await this.process(row, logged ? { flags, clear } : undefined, logged).catch((e) => {
          this.deps.logger.error({ err: { name: (e as Error).name, message: (e as Error).message }, noticeId: row.id }, 'notice processing failed');
          return 'retry' as const;
        });
        held.delete(row.id);
        this.counter?.inc({ outcome, channel: row.channel });
      }
    };
    await Promise.all(Array.from({ length: Math.min(cfg.concurrency, claimed.length) }, lane));
    // stopping: hand back what was claimed but never started, so another node sends it now
    const unstarted = claimed.slice(next);
    for (const row of unstarted) {
      await this.repo.release(row.id, this.owner, this.now(), {
        status: 'pending',
        at: row.next_attempt_at,
        countAttempt: false,
        error: row.last_error ?? undefined,
      });
      held.delete(row.id);
    }
    if (unstarted.length) this.deps.logger.info({ released: unstarted.length }, 'notify: released unstarted notices at shutdown');
  }

  /** `batch`: the round's flags and contact data, read (and recorded) for the notices' own customer ids. */
  async process(row: NoticeRow, batch?: { flags: Map<string, RecipientFlags>; clear: Map<string, ClearFields> }, logged = true): Promise<Outcome> {
    const cfg = this.deps.config;
    const recipients = this.deps.recipients;
    const now = this.now();
    const log = this.deps.logger.child({ noticeId: row.id, template: row.template, channel: row.channel });
    const retryLater = async (error: string, countAttempt: boolean, extra: { customerId?: string } = {}): Promise<Outcome> => {
      const attempts = countAttempt ? row.attempts : row.attempts - 1;
      if (countAttempt && attempts >= cfg.maxAttempts) {
        await this.repo.release(row.id, this.owner, now, { status: 'dead', error, ...extra });
        log.warn({ attempts, error }, 'notice dead-lettered');
        return 'dead';
      }
      const at = now + backoffDelay(Math.max(1, attempts), cfg.backoffBaseMs, cfg.backoffMaxMs, this.deps.rand);
      await this.repo.release(row.id, this.owner, now, { status: 'pending', at, error, countAttempt, ...extra });
      return countAttempt ? 'retry' : 'deferred';
    };
    const dead = async (error: string): Promise<Outcome> => {
      await this.repo.release(row.id, this.owner, now, { status: 'dead', error });
      log.warn({ error }, 'notice dead-lettered');
      return 'dead';
    };

    if (!isTemplate(row.template)) return dead('unknown-template');
    if (row.channel !== ROUTE_CHANNEL && !this.deps.channels.get(row.channel)) return dead('channel-not-configured');

    // A refund may arrive before its order or customer: wait for them, up to a bound.
    let customerId = row.customer_id;
    if (!customerId && row.order_id) customerId = await recipients.customerOfOrder(row.order_id);
    if (!logged) return retryLater('access-log-unavailable', false);
    const flags = customerId ? (batch?.flags.get(customerId) ?? (await recipients.flags([customerId])).get(customerId)) : undefined;
    if (flags?.canary) {
      await this.repo.release(row.id, this.owner, now, { status: 'suppressed', error: 'canary-customer', customerId: customerId! });
      return 'suppressed';
    }
    let channelName = row.channel;
    if (row.channel === ROUTE_CHANNEL && flags) {
      const choice = this.route(row, flags);
      if (choice.channel === null) {
        await this.repo.release(row.id, this.owner, now, { status: 'unreachable', error: choice.reason, customerId: customerId! });
        log.warn({ reason: choice.reason }, 'notice unreachable: no channel of the route fits the customer');
        return 'unreachable';
      }
      channelName = choice.channel;
    }
    // routed notices of a customer not stored yet have no channel until the customer arrives
    const channel = this.deps.channels.get(channelName);
    const needs = channel?.needs ?? 'phone';
    let recipient: Recipient | null = null;
    const prefetched = customerId && customerId === row.customer_id ? batch?.clear.get(customerId) : undefined;
    if (prefetched && flags) recipient = toRecipient(customerId!, flags, prefetched, needs);
    else if (customerId && flags) {
      // Resolved only now (through the order): this read was not in the batch's log append.
      let clear: ClearFields | undefined;
      try {
        clear = (await recipients.read([{ customerId, needs, template: row.template }])).get(customerId);
      } catch {
        return retryLater('access-log-unavailable', false, { customerId });
      }
      if (clear) recipient = toRecipient(customerId, flags, clear, needs);
    }
    if (!recipient || !channel) {
      if (now - row.created_at > cfg.unresolvedTtlMs) return dead('recipient-unresolved');
      return retryLater('recipient-pending', false, customerId ? { customerId } : {});
    }
    const resolved = customerId !== row.customer_id ? { customerId: customerId! } : {};

    if (!row.urgent) {
      if (cfg.quietHours) {
        const until = quietHoursEnd(now, { ...cfg.quietHours, timeZone: timeZoneForPhone(recipient.phone, cfg.quietHours.timeZone) });
        if (until !== null) {
          await this.repo.release(row.id, this.owner, now, { status: 'pending', at: until, error: 'quiet-hours', countAttempt: false, ...resolved });
          return 'deferred';
        }
      }
      const sent = await this.repo.sentSince(recipient.customerId, now - cfg.rateLimit.windowMs);
      if (sent.count >= cfg.rateLimit.max) {
        const at = (sent.oldest ?? now) + cfg.rateLimit.windowMs + 1;
        await this.repo.release(row.id, this.owner, now, { status: 'pending', at, error: 'rate-limited', countAttempt: false, ...resolved });
        return 'deferred';
      }
    }
    const chosen = channelName !== row.channel ? { channel: channelName } : {};
    if (resolved.customerId || chosen.channel)
      await this.deps.database.db
        .updateTable('notices')
        .set({ ...(resolved.customerId ? { customer_id: resolved.customerId } : {}), ...chosen })
        .where('id', '=', row.id)
        .where('lease_owner', '=', this.owner)
        .execute();

    const vars = JSON.parse(row.vars) as Record<string, string | number>;
    const template = row.template;
    try {
      // Inside the try: a failed read of the edited texts retries the notice like a failed delivery.
      const rendered = this.deps.render
        ? await this.deps.render(template, recipient.lang, vars)
        : renderNotice(template, recipient.lang, vars, { shopName: cfg.shopName, officialDomain: cfg.officialDomain });
      const result = await channel.deliver(
        {
          id: row.id,
          idempotencyKey: row.idempotency_key,
          template: row.template,
          lang: recipient.lang,
          subject: rendered.subject,
          text: rendered.text,
          vars,
          urgent: row.urgent === 1,
        },
        recipient,
      );
      const ok = await this.repo.complete(row.id, this.owner, this.now(), result.status, result.providerRef ?? null);
      if (!ok) {
        log.warn('lease lost before the delivery was recorded; the retry reuses the idempotency key');
        return 'lost-lease';
      }
      return 'sent';
    } catch (e) {
      const err = e instanceof ChannelError ? e : new ChannelError(`${(e as Error).name}`);
      log.warn({ error: err.message, permanent: err.permanent, attempt: row.attempts }, 'notice delivery failed');
      if (err.permanent) return dead(err.message);
      return retryLater(err.message, true);
    }
  }

  private route(row: NoticeRow, f: RecipientFlags) {
    return chooseChannel(
      this.deps.config.routes,
      row.template,
      { lang: pickLang(f.lang), hasPhone: f.hasPhone ?? true, hasEmail: f.hasEmail ?? false },
      this.deps.channels,
    );
  }

  /** Polls until stopped; a full batch is followed immediately by the next round. */
  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    const loop = async () => {
      if (this.stopped) return;
      let n = 0;
      try {
        n = await this.runOnce();
      } catch (e) {
        this.deps.logger.error({ err: { name: (e as Error).name, message: (e as Error).message } }, 'outbox round failed');
      }
      if (this.stopped) return;
      this.timer = setTimeout(() => (this.running = loop()), n >= this.deps.config.batchSize ? 0 : this.deps.config.pollMs);
    };
    this.running = loop();
  }

  async stop() {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }
}
