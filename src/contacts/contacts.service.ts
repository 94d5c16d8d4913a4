// Official contact sessions: staff open one before calling or messaging a customer; the shop's
// app asks whether the shop is contacting the customer right now and shows who, why, and the
// spoken check phrase. No HTTP here.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { Notifier } from '../notify/notifier.port.ts';
import { newId } from '../lib/ids.ts';
import { ContactsRepository, type SessionRow } from './contacts.repository.ts';
import type { ContactStatus } from './contacts.tables.ts';
import type { ContactsConfig } from './contacts.config.ts';
import { newPhrase } from './phrase.ts';
import { staffDisplayName } from './display-name.ts';
import { DomainError, type ErrorCategory, type ProblemShape } from '../lib/errors.ts';

export type ContactChannel = 'phone' | 'sms' | 'chat';
export type Lang = 'zh-CN' | 'en';

export type ContactErrorKind = 'no-principal' | 'unknown-principal' | 'not-staff' | 'order-mismatch' | 'not-found' | 'forbidden' | 'bad-transition';
/** How each failure reads in the API (src/http/error-handler.ts maps the category to a status). */
const CONTACT_PROBLEMS: Record<ContactErrorKind, { category: ErrorCategory; problem: ProblemShape }> = {
  'not-found': { category: 'not-found', problem: { detail: 'No such contact session.' } },
  forbidden: { category: 'forbidden', problem: { type: 'contact-forbidden' } },
  'no-principal': { category: 'forbidden', problem: { type: 'contact-no-principal' } },
  'not-staff': { category: 'forbidden', problem: { type: 'contact-not-staff' } },
  'unknown-principal': { category: 'conflict', problem: { type: 'unknown-principal', title: 'Unknown principal' } },
  'bad-transition': { category: 'conflict', problem: {} },
  'order-mismatch': { category: 'invalid', problem: {} },
};
export class ContactError extends DomainError {
  override name = 'ContactError';
  constructor(
    readonly kind: ContactErrorKind,
    message: string,
  ) {
    super(CONTACT_PROBLEMS[kind].category, message, CONTACT_PROBLEMS[kind].problem);
  }
}

// Allowed moves; a repeated PATCH with the current status is accepted as a no-op (idempotent).
const FROM: Record<Exclude<ContactStatus, 'open'>, readonly ContactStatus[]> = {
  ringing: ['open'],
  connected: ['open', 'ringing'],
  ended: ['open', 'ringing', 'connected'],
};

export interface StatusView {
  customerId: string;
  contacting: boolean;
  sessions: SessionRow[];
  lastContactAt: number | null;
  lastContactChannel: string | null;
  lang: Lang;
  message: string;
}

export class ContactsService {
  readonly repo: ContactsRepository;
  constructor(
    private readonly db: Kysely<DB>,
    private readonly shop: ShopService,
    private readonly cfg: ContactsConfig,
    private readonly shopName: Record<Lang, string>,
    private readonly notifier?: Notifier,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new ContactsRepository(db);
  }

  async open(input: { principalId: string | null; customerId: string; orderId?: string; channel: ContactChannel; reason: string }): Promise<SessionRow> {
    if (!input.principalId) throw new ContactError('no-principal', 'This API key is not linked to a staff principal; create the agent key with a principalId.');
    const p = await this.shop.principal(input.principalId);
    if (!p) throw new ContactError('unknown-principal', 'The principal of this API key is not known yet: send its principal.upserted event first.');
    if (p.kind !== 'staff' && p.kind !== 'partner') throw new ContactError('not-staff', 'Only staff or partner principals contact customers.');
    const customer = (await this.shop.customerFlags([input.customerId])).get(input.customerId);
    if (input.orderId) {
      const owner = await this.shop.customerOfOrder(input.orderId);
      if (owner && owner !== input.customerId) throw new ContactError('order-mismatch', 'The order belongs to another customer.');
    }
    const lang: Lang = customer?.lang === 'en' ? 'en' : 'zh-CN';
    const now = this.now();
    const row: SessionRow = {
      id: newId('cs'),
      customer_id: input.customerId,
      order_id: input.orderId ?? null,
      channel: input.channel,
      reason: input.reason,
      principal_id: input.principalId,
      staff_name: staffDisplayName(p.name) || (lang === 'en' ? 'Customer service' : '客服'),
      staff_team: p.team,
      phrase: newPhrase(lang),
      status: 'open',
      created_at: now,
      expires_at: now + this.cfg.sessionTtlMinutes * 60_000,
      ringing_at: null,
      connected_at: null,
      ended_at: null,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await this.repo.insert(trx, row);
      // The notice is written with the session, so one exists exactly when the session does.
      if (this.cfg.notifyOnOpen && customer && this.notifier) {
        await this.notifier.send(
          {
            customerId: input.customerId,
            template: 'contact.opened',
            idempotencyKey: `contact.opened:${row.id}`,
            vars: { staffName: row.staff_name, ...(row.staff_team ? { team: row.staff_team } : {}), ...(row.order_id ? { orderId: row.order_id } : {}) },
            urgent: true,
          },
          { db: trx, source: 'contacts' },
        );
      }
    });
    return row;
  }

  async update(id: string, status: Exclude<ContactStatus, 'open'>, caller: { principalId: string | null; admin: boolean }): Promise<SessionRow> {
    const s = await this.repo.get(id);
    if (!s) throw new ContactError('not-found', 'No such contact session (or its details were already deleted).');
    if (!caller.admin && s.principal_id !== caller.principalId)
      throw new ContactError('forbidden', 'Only the staff member who opened the session may update it.');
    if (s.status === status) return s;
    const now = this.now();
    if (status !== 'ended' && Number(s.expires_at) <= now) throw new ContactError('bad-transition', 'The session has expired; open a new one.');
    if (!(await this.repo.transition(id, FROM[status], status, now))) {
      const cur = await this.repo.get(id);
      if (cur?.status === status) return cur;
      throw new ContactError('bad-transition', `A session that is "${cur?.status ?? s.status}" cannot become "${status}".`);
    }
    return (await this.repo.get(id))!;
  }

  async status(customerId: string, langHint?: Lang): Promise<StatusView> {
    const now = this.now();
    const [sessions, last, customer] = await Promise.all([
      this.repo.activeFor(customerId, now),
      this.repo.lastContact(customerId),
      this.shop.customerFlags([customerId]).then((m) => m.get(customerId)),
    ]);
    const lang: Lang = langHint ?? (customer?.lang === 'en' ? 'en' : 'zh-CN');
    const s = sessions[0];
    const shop = this.shopName[lang];
    let message: string;
    if (s) {
      const team = s.staff_team ? (lang === 'en' ? ` (${s.staff_team})` : `（${s.staff_team}）`) : '';
      message =
        lang === 'en'
          ? `We are contacting you now: ${s.staff_name}${team}${s.order_id ? `, about order ${s.order_id}` : ''}. They will say the phrase "${s.phrase}". If the phrase does not match, hang up. You never need to tell them anything or read out a code.`
          : `我们正在联系您：${s.staff_name}${team}${s.order_id ? `，关于订单${s.order_id}` : ''}。对方会说出口令“${s.phrase}”，口令不符请立即挂断。您无需向对方提供任何信息或验证码。`;
    } else {
      message =
        lang === 'en'
          ? `${shop} is not contacting you right now. If someone calls or messages you claiming to be our customer service, hang up: do not transfer money, give codes or open links.`
          : `${shop}现在没有联系您。如有人自称${shop}客服来电或发消息，请立即挂断，不要转账、不要提供验证码、不要点击链接。`;
    }
    return {
      customerId,
      contacting: !!s,
      sessions,
      lastContactAt: last ? Number(last.last_contact_at) : null,
      lastContactChannel: last?.channel ?? null,
      lang,
      message,
    };
  }

  /** Per-day counts of sessions whose details are still kept (the aggregate table has the rest). */
  async liveAggregates(fromDay: string, toDay: string) {
    const start = Date.parse(`${fromDay}T00:00:00Z`);
    const end = Date.parse(`${toDay}T00:00:00Z`) + 86_400_000;
    const rows = await this.db
      .selectFrom('contact_sessions')
      .select(['channel', 'staff_team', 'created_at', 'connected_at'])
      .where('created_at', '>=', start)
      .where('created_at', '<', end)
      .execute();
    const m = new Map<string, { day: string; channel: string; team: string; sessions: number; connected: number }>();
    for (const r of rows) {
      const day = new Date(Number(r.created_at)).toISOString().slice(0, 10);
      const team = r.staff_team ?? '';
      const k = `${day}\u0000${r.channel}\u0000${team}`;
      const a = m.get(k) ?? { day, channel: r.channel, team, sessions: 0, connected: 0 };
      a.sessions++;
      if (r.connected_at !== null) a.connected++;
      m.set(k, a);
    }
    return [...m.values()];
  }

  /** Deletes session details past retention, keeping the aggregate; returns how many were purged. */
  purge(): Promise<number> {
    return this.repo.purge(this.now() - this.cfg.retentionHours * 3_600_000);
  }
}
