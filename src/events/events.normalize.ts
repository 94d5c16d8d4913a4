// Turns one raw event into the rows it stores, or a problem. Pure apart from encryption:
// no storage access, so the same code serves the API, the CLI import and the benchmarks.
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import {
  EVENT_SCHEMAS,
  EVENT_TYPES,
  EventEnvelope,
  type EventType,
  type CustomerUpsertedEvent,
  type PrincipalUpsertedEvent,
  type OrderPlacedEvent,
  type RefundEventBody,
  type DataAccessedEvent,
  type ExportCreatedEvent,
  type LoginEventBody,
} from './events.schemas.ts';
import { parseEventTime } from './event-time.ts';
import { fieldsToMask } from '../lib/fields.ts';
import { normalizePhone } from '../lib/phone.ts';
import { FieldCipher, FixedKeyRing, type DataKey } from '../vault/field-cipher.ts';
import type { CustomersTable, OrdersTable, PrincipalsTable, RefundsTable, ExportsTable, LoginsTable } from '../shop/shop.tables.ts';
import type { AccessLogTable } from '../audit/audit.tables.ts';
import type { Insertable } from 'kysely';
import { PROBLEM_BASE } from '../http/problem.ts';
import { findUnstorable, containsPii, scrubPii } from '../lib/pii-text.ts';
import { schemaKeys } from '../http/safe-path.ts';

const PURPOSE_WITH_PII =
  '"purpose" must not contain phone numbers, long digit runs or e-mail addresses (the access log is not encrypted); name the ticket or the task instead';

export type AccessRow = Insertable<AccessLogTable>;

export type StoredRows =
  | { kind: 'customer'; row: CustomersTable }
  | { kind: 'principal'; row: PrincipalsTable }
  | { kind: 'order'; row: OrdersTable }
  | { kind: 'refund'; row: RefundsTable }
  | { kind: 'access'; rows: AccessRow[]; exportRow?: ExportsTable }
  | { kind: 'login'; row: Insertable<LoginsTable> };

export interface NormalizedEvent {
  id: string;
  type: EventType;
  at: number;
  subject: string | null;
  stored: StoredRows;
}

export interface EventProblem {
  type: string;
  title: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export interface NormalizerSnapshot {
  now: number;
  active: DataKey;
  index: Buffer;
  actor?: IngestActor;
}

/**
 * Who sends a batch: the API key (recorded on every access entry the batch creates) and, for a key
 * bound to a principal, that principal — such a key may report only its own reads and exports.
 */
export interface IngestActor {
  keyId: string | null;
  principalId: string | null;
}

const KNOWN_TYPES = new Set<string>(EVENT_TYPES);
/** Property names of the contract: only these are named in a problem's path (others may be data). */
const EVENT_KEYS = new Set([...schemaKeys(EventEnvelope), ...Object.values(EVENT_SCHEMAS).flatMap((s) => [...schemaKeys(s)])]);

const envelopeCheck = TypeCompiler.Compile(EventEnvelope);
const typeChecks = new Map<string, TypeCheck<TSchema>>(Object.entries(EVENT_SCHEMAS).map(([t, s]) => [t, TypeCompiler.Compile(s)]));

function invalid(detail: string, errors?: { path: string; message: string }[]): EventProblem {
  return { type: PROBLEM_BASE + 'invalid-event', title: 'Invalid event', detail, ...(errors ? { errors } : {}) };
}

function schemaErrors(check: TypeCheck<TSchema>, value: unknown) {
  const out: { path: string; message: string }[] = [];
  for (const e of check.Errors(value)) {
    out.push({ path: e.path || '/', message: e.message });
    if (out.length >= 10) break;
  }
  return out;
}

const toMinor = (amount: number) => Math.round(amount * 100);

type Item = { sku: string; title: string; model?: string; color?: string; size?: string; price: number; quantity: number };
/**
 * Only the contract's item fields are stored: items are kept in clear (they are what the scam
 * callers quote, not personal data), so an extra property a shop adds — a buyer's phone, say —
 * must not land there unencrypted.
 */
function keptItem(i: Item): Item {
  const out: Item = { sku: i.sku, title: i.title, price: i.price, quantity: i.quantity };
  if (i.model !== undefined) out.model = i.model;
  if (i.color !== undefined) out.color = i.color;
  if (i.size !== undefined) out.size = i.size;
  return out;
}

export class EventNormalizer {
  constructor(
    private readonly cipher: FieldCipher,
    private readonly now: () => number = Date.now,
    private readonly actor?: IngestActor,
  ) {}

  /** The same normaliser for a batch sent by `actor`. */
  forActor(actor: IngestActor | undefined): EventNormalizer {
    return actor ? new EventNormalizer(this.cipher, this.now, actor) : this;
  }

  /** What a twin normaliser in the ingest worker needs: the clock reading, the current keys, the sender. */
  snapshot(): NormalizerSnapshot {
    return { now: this.now(), ...this.cipher.currentKeys(), ...(this.actor ? { actor: this.actor } : {}) };
  }

  /** A normaliser sealing with fixed keys and a frozen clock (the worker side of snapshot()). */
  static fromSnapshot(s: NormalizerSnapshot): EventNormalizer {
    return new EventNormalizer(new FieldCipher(new FixedKeyRing(s.active, s.index)), () => s.now, s.actor);
  }

  /** A problem when a key bound to a principal reports another principal's read or export. */
  private notOwnPrincipal(principalId: string): EventProblem | null {
    const own = this.actor?.principalId;
    if (!own || own === principalId) return null;
    return {
      type: PROBLEM_BASE + 'principal-mismatch',
      title: 'Principal not allowed',
      detail: "A key bound to a principal may report only that principal's reads and exports.",
      errors: [{ path: '/principalId', message: "must be the key's own principal" }],
    };
  }

  /** Normalises one event; `received` is the ingestion time used for recorded_at columns. */
  normalize(raw: unknown, received: number): NormalizedEvent | EventProblem {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return invalid('each event must be a JSON object');
    if (!envelopeCheck.Check(raw)) return invalid('the event envelope is invalid', schemaErrors(envelopeCheck, raw));
    // NUL and unpaired surrogates: PostgreSQL refuses them (the whole batch would fail), SQLite would keep them
    const bad = findUnstorable(raw, EVENT_KEYS);
    if (bad) return invalid(`${bad.path} ${bad.reason}`, [{ path: bad.path, message: bad.reason }]);
    const ev = raw as { id: string; type: string; at: string } & Record<string, unknown>;
    if (!KNOWN_TYPES.has(ev.type)) {
      return { type: PROBLEM_BASE + 'unknown-event-type', title: 'Unknown event type', detail: `"type" must be one of: ${EVENT_TYPES.join(', ')}` };
    }
    const t = parseEventTime(ev.at, this.now());
    if ('error' in t) return invalid(`"at" ${t.error}`, [{ path: '/at', message: t.error }]);
    const type = ev.type as EventType;
    const check = typeChecks.get(type)!;
    if (!check.Check(ev)) return invalid(`the ${type} event is invalid`, schemaErrors(check, ev));
    const at = t.ms;
    // Explicit literals below rather than spreading a base object: this runs per event.
    const base = { id: ev.id, type, at };
    switch (type) {
      case 'customer.upserted':
        return this.customer(base, ev as unknown as CustomerUpsertedEvent);
      case 'principal.upserted': {
        const p = ev as unknown as PrincipalUpsertedEvent;
        return {
          id: base.id,
          type: base.type,
          at: base.at,
          subject: p.principalId,
          stored: { kind: 'principal', row: { id: p.principalId, kind: p.kind, name: p.name, org: p.org ?? null, team: p.team ?? null, updated_at: at } },
        };
      }
      case 'order.placed': {
        const o = ev as unknown as OrderPlacedEvent;
        return {
          id: base.id,
          type,
          at,
          subject: o.orderId,
          stored: {
            kind: 'order',
            row: {
              id: o.orderId,
              customer_id: o.customerId,
              items: JSON.stringify(o.items.map(keptItem)),
              total_minor: toMinor(o.total),
              currency: o.currency ?? 'CNY',
              placed_at: at,
              updated_at: at,
            },
          },
        };
      }
      case 'refund.requested':
      case 'refund.completed':
      case 'refund.cancelled': {
        const r = ev as unknown as RefundEventBody;
        const state = type.slice('refund.'.length);
        return {
          id: base.id,
          type,
          at,
          subject: r.refundId,
          stored: {
            kind: 'refund',
            row: {
              id: r.refundId,
              order_id: r.orderId,
              state,
              // kept in clear for analysts and reports: a phone or e-mail a customer typed is blanked
              reason: r.reason !== undefined ? scrubPii(r.reason) : null,
              requested_at: state === 'requested' ? at : null,
              completed_at: state === 'completed' ? at : null,
              cancelled_at: state === 'cancelled' ? at : null,
              updated_at: at,
            },
          },
        };
      }
      case 'data.accessed': {
        const a = ev as unknown as DataAccessedEvent;
        if (!a.customerId && !a.orderId)
          return invalid('data.accessed needs customerId or orderId (or both)', [{ path: '/customerId', message: 'customerId or orderId is required' }]);
        const foreign = this.notOwnPrincipal(a.principalId);
        if (foreign) return foreign;
        if (a.purpose !== undefined && containsPii(a.purpose))
          return invalid(PURPOSE_WITH_PII, [{ path: '/purpose', message: 'must not contain personal data' }]);
        const row: AccessRow = {
          source: 'event',
          event_id: ev.id,
          principal_id: a.principalId,
          customer_id: a.customerId ?? null,
          order_id: a.orderId ?? null,
          fields: fieldsToMask(a.fields),
          purpose: a.purpose ?? null,
          channel: a.channel,
          ip: a.ip ?? null,
          export_id: null,
          at,
          recorded_at: received,
          key_id: this.actor?.keyId ?? null,
        };
        return { id: base.id, type: base.type, at: base.at, subject: a.customerId ?? a.orderId!, stored: { kind: 'access', rows: [row] } };
      }
      case 'export.created': {
        const x = ev as unknown as ExportCreatedEvent;
        if (!!x.orderIds === !!x.customerIds)
          return invalid('export.created needs exactly one of orderIds or customerIds', [{ path: '/orderIds', message: 'give orderIds or customerIds' }]);
        const foreignExport = this.notOwnPrincipal(x.principalId);
        if (foreignExport) return foreignExport;
        const keyId = this.actor?.keyId ?? null;
        const fields = fieldsToMask(x.fields);
        const byOrder = !!x.orderIds;
        const ids = [...new Set(x.orderIds ?? x.customerIds!)];
        const rows: AccessRow[] = ids.map((id) => ({
          source: 'event',
          event_id: ev.id,
          principal_id: x.principalId,
          customer_id: byOrder ? null : id,
          order_id: byOrder ? id : null,
          fields,
          purpose: 'export',
          channel: 'export',
          ip: null,
          export_id: x.exportId,
          at,
          recorded_at: received,
          key_id: keyId,
        }));
        return {
          id: base.id,
          type,
          at,
          subject: x.exportId,
          stored: {
            kind: 'access',
            rows,
            exportRow: { id: x.exportId, principal_id: x.principalId, fields, subject_kind: byOrder ? 'order' : 'customer', record_count: ids.length, at },
          },
        };
      }
      case 'login.succeeded':
      case 'login.failed': {
        const l = ev as unknown as LoginEventBody;
        if (!l.customerId && !l.username)
          return invalid(`${type} needs customerId or username`, [{ path: '/customerId', message: 'customerId or username is required' }]);
        return {
          id: base.id,
          type,
          at,
          subject: l.customerId ?? null,
          stored: {
            kind: 'login',
            row: {
              event_id: ev.id,
              customer_id: l.customerId ?? null,
              username_bidx: l.username ? this.cipher.blindIndex('username', l.username.trim().toLowerCase()) : null,
              ip: l.ip ?? null,
              device_id: l.deviceId ?? null,
              user_agent: l.userAgent !== undefined ? scrubPii(l.userAgent) : null,
              outcome: type === 'login.succeeded' ? 'success' : 'failure',
              at,
            },
          },
        };
      }
    }
  }

  private customer(base: { id: string; type: EventType; at: number }, c: CustomerUpsertedEvent): NormalizedEvent | EventProblem {
    const phone = normalizePhone(c.phone);
    if (!phone) return invalid('"phone" is not a valid phone number', [{ path: '/phone', message: 'not a valid phone number' }]);
    const email = c.email?.trim().toLowerCase();
    const id = c.customerId;
    const seal = (column: string, value: string) => this.cipher.encrypt(value, `customers/${id}/${column}`);
    const row: CustomersTable = {
      id,
      name_enc: seal('name', c.name),
      phone_enc: seal('phone', phone),
      email_enc: email ? seal('email', email) : null,
      address_enc: c.address ? seal('address', JSON.stringify(c.address)) : null,
      province: c.address?.province ?? null,
      city: c.address?.city ?? null,
      phone_bidx: this.cipher.blindIndex('phone', phone),
      email_bidx: email ? this.cipher.blindIndex('email', email) : null,
      lang: c.lang ?? null,
      canary: 0,
      created_at: base.at,
      updated_at: base.at,
    };
    return { id: base.id, type: base.type, at: base.at, subject: id, stored: { kind: 'customer', row } };
  }
}

export function isProblem(x: NormalizedEvent | EventProblem): x is EventProblem {
  return 'title' in x;
}
