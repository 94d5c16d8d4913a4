// Fingerprinted partner exports. The shop asks fanzha for the file it sends a partner; fanzha
// records who received which records through an export.created event (so the access log stays
// the single source of who saw what), plants per-recipient canary rows, and can replace the
// real phone number with a per-recipient substitute: a random token, or a virtual number from a
// pool the shop rents. The same customer gets a different substitute for each recipient and the
// same one every time for one recipient, so a scam call to a substitute names the recipient.
// (Format-preserving encryption would not do: it gives every recipient the same value.)
import { createHash, randomInt } from 'node:crypto';
import { isToken, newToken } from './exports.tokens.ts';
import type { Logger } from 'pino';
import type { EventsService } from '../events/events.service.ts';
import type { NewEntry } from '../audit/chain.ts';
import type { Caller } from '../http/roles.ts';
import { principalOf } from '../vault/vault.service.ts';
import { fieldsToMask, FIELD_BIT, maskToFields, type AccessField } from '../lib/fields.ts';
import { newId } from '../lib/ids.ts';
import { normalizePhone } from '../lib/phone.ts';
import { DomainError, fail } from '../lib/errors.ts';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { SystemReader } from '../vault/system-reader.ts';
import type { OrdersTable } from '../shop/shop.tables.ts';
import type { ExportFilesTable, SubstituteCallsTable } from './canaries.tables.ts';
import { contactBlindIndex, type CanariesService, type Canary, type MonitoredContact, type TripChannel } from './canaries.service.ts';
import type { ExportsRepository } from './exports.repository.ts';
import { displayPhone, formatAddress, formatItems, formatTime, renderExport, type ExportFormat, type ExportRecord } from './exports.render.ts';
import type { FakeItem } from './canaries.fakes.ts';

export type PhoneMode = 'real' | 'token' | 'virtual';
export const MAX_EXPORT_RECORDS = 200_000;

export interface ExportsConfig {
  /** Virtual numbers the shop rents for privacy waybills (any common spelling; stored E.164). */
  virtualNumbers: string[];
  /** Watched contacts fanzha may plant as canary rows when a request brings none. */
  monitoredContacts: MonitoredContact[];
  /** Canary rows per export when the request does not say (only if contacts are available). */
  defaultCanaryRows: number;
}

export interface CreateExportInput {
  exportId?: string;
  recipientId: string;
  orderIds?: string[];
  customerIds?: string[];
  fields: AccessField[];
  format?: ExportFormat;
  phone?: PhoneMode;
  canaryRows?: number;
  canaryContacts?: MonitoredContact[];
  at?: number;
}

export interface ExportInfo {
  id: string;
  recipientId: string;
  subjectKind: 'order' | 'customer';
  fields: AccessField[];
  phone: PhoneMode;
  format: ExportFormat;
  records: number;
  canaryIds: string[];
  at: number;
}

export interface ExportResult {
  export: ExportInfo;
  duplicate: boolean;
  file: { contentType: string; content: string };
}

function toInfo(r: ExportFilesTable): ExportInfo {
  return {
    id: r.id,
    recipientId: r.recipient_id,
    subjectKind: r.subject_kind as 'order' | 'customer',
    fields: maskToFields(r.fields),
    phone: r.phone_mode as PhoneMode,
    format: r.format as ExportFormat,
    records: (JSON.parse(r.record_ids) as string[]).length,
    canaryIds: JSON.parse(r.canary_ids),
    at: Number(r.at),
  };
}

/** Deterministic position of a canary row among n real rows, so a retried export is identical. */
function slot(exportId: string, canaryId: string, n: number): number {
  return createHash('sha256').update(exportId).update('\0').update(canaryId).digest().readUInt32BE(0) % (n + 1);
}

export class ExportsService {
  private readonly virtualPool: string[];

  constructor(
    private readonly repo: ExportsRepository,
    private readonly canaries: CanariesService,
    private readonly events: EventsService,
    private readonly cipher: FieldCipher,
    /** The vault's gate: an export's rows are opened there, for the customers its recorded entries name. */
    private readonly vault: Pick<SystemReader, 'readForExport'>,
    private readonly config: ExportsConfig,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.virtualPool = [...new Set(config.virtualNumbers.map((v) => normalizePhone(v)).filter((v): v is string => !!v))];
  }

  /** Where downloads are recorded (the audit service, set by the canaries area); without it files are refused. */
  private recordReads: ((entries: NewEntry[]) => Promise<unknown>) | undefined;
  setAccessRecorder(record: (entries: NewEntry[]) => Promise<unknown>) {
    this.recordReads = record;
  }

  /**
   * `caller` is the key asking: a key bound to a principal may create exports only for that
   * principal (it would otherwise frame another one), and the export.created entries name the key.
   */
  async create(input: CreateExportInput, caller?: Caller): Promise<ExportResult> {
    if (caller?.principalId && caller.principalId !== input.recipientId) {
      throw new DomainError('forbidden', 'A key bound to a principal may create exports only for that principal.', {
        type: 'principal-mismatch',
        title: 'Principal not allowed',
      });
    }
    const byOrder = !!input.orderIds;
    if (byOrder === !!input.customerIds) throw fail.badRequest('Give exactly one of "orderIds" or "customerIds".');
    const ids = [...new Set(input.orderIds ?? input.customerIds!)];
    if (ids.length === 0) throw fail.badRequest('The export has no records.');
    if (ids.length > MAX_EXPORT_RECORDS) throw fail.tooLarge(`An export may hold at most ${MAX_EXPORT_RECORDS} records.`);
    const mask = fieldsToMask(input.fields);
    const phone: PhoneMode = (mask & FIELD_BIT.phone) === 0 ? 'real' : (input.phone ?? 'real');
    const format = input.format ?? 'csv';
    const exportId = input.exportId ?? newId('exp');
    const requestHash = createHash('sha256')
      .update(JSON.stringify([input.recipientId, byOrder ? 'order' : 'customer', ids, mask, phone, format, input.canaryRows ?? null]))
      .digest('base64url');

    let file = await this.repo.file(exportId);
    let duplicate = true;
    if (file && file.request_hash !== requestHash) throw fail.conflict('An export with this id was already created with other content; use a new exportId.');
    if (!file) {
      if (await this.repo.foundationExportExists(exportId))
        throw fail.conflict('This export id is already used by an export.created event; use a new exportId.');
      ({ file, duplicate } = await this.plan(exportId, input, ids, byOrder, mask, phone, format, requestHash));
    }
    // Recording is idempotent (event id derived from the export id), so a retry after a crash between
    // the steps above and here completes the record instead of duplicating it.
    await this.record(file, caller);
    const info = toInfo(file);
    const canaries = await this.canaries.byIds(info.canaryIds);
    return { export: info, duplicate, file: await this.render(file, canaries) };
  }

  private async plan(
    exportId: string,
    input: CreateExportInput,
    ids: string[],
    byOrder: boolean,
    mask: number,
    phone: PhoneMode,
    format: ExportFormat,
    requestHash: string,
  ): Promise<{ file: ExportFilesTable; duplicate: boolean }> {
    let orders: OrdersTable[] = [];
    if (byOrder) {
      orders = await this.repo.orders(ids);
      if (orders.length !== ids.length)
        throw fail.badRequest(`${ids.length - orders.length} of the orderIds are unknown to fanzha; send their order.placed events first.`);
    } else {
      const found = await this.repo.customers(ids);
      if (found.length !== ids.length)
        throw fail.badRequest(`${ids.length - found.length} of the customerIds are unknown to fanzha; send their customer.upserted events first.`);
    }
    const at = input.at ?? this.now();

    // Canary rows: watched contacts from the request, else unused ones from the configured pool.
    let contacts = input.canaryContacts ?? [];
    const wanted = input.canaryRows ?? (contacts.length ? contacts.length : this.config.defaultCanaryRows);
    if (!input.canaryContacts && wanted > 0) contacts = await this.freeContacts(wanted, input.canaryRows !== undefined);
    if (contacts.length < wanted && input.canaryContacts)
      throw fail.badRequest(`canaryRows is ${wanted} but only ${contacts.length} canaryContacts were given.`);
    contacts = contacts.slice(0, wanted);
    let canaries: Canary[] = [];
    if (contacts.length) {
      // Canary orders borrow the items of real orders in the same export and a time inside its
      // range: nothing distinguishes them from their neighbours.
      const plans = contacts.map(() => {
        if (!orders.length) return {};
        const model = orders[randomInt(orders.length)]!;
        const times = orders.map((o) => Number(o.placed_at));
        const lo = Math.min(...times);
        const hi = Math.max(...times);
        return { items: [JSON.parse(model.items) as FakeItem[]], placedAt: [lo + randomInt(0, hi - lo + 1)] };
      });
      canaries = (
        await this.canaries.create({
          requestId: `export:${exportId}`,
          scope: { kind: 'export', id: exportId },
          recipientId: input.recipientId,
          contacts,
          plans,
          at,
        })
      ).canaries;
    }
    const row: ExportFilesTable = {
      id: exportId,
      recipient_id: input.recipientId,
      subject_kind: byOrder ? 'order' : 'customer',
      fields: mask,
      phone_mode: phone,
      format,
      request_hash: requestHash,
      record_ids: JSON.stringify(ids),
      canary_ids: JSON.stringify(canaries.map((c) => c.id)),
      at,
      created_at: this.now(),
    };
    if (!(await this.repo.insertFile(row))) {
      const winner = await this.repo.file(exportId);
      if (!winner || winner.request_hash !== requestHash) throw fail.conflict('An export with this id was created concurrently with other content.');
      return { file: winner, duplicate: true };
    }
    this.logger.info({ exportId, recipientId: input.recipientId, records: ids.length, canaries: canaries.length, phone }, 'export created');
    return { file: row, duplicate: false };
  }

  private async freeContacts(n: number, required: boolean): Promise<MonitoredContact[]> {
    const pool = this.config.monitoredContacts;
    const free = await this.canaries.unusedContacts(pool);
    if (free.length < n && required) {
      throw fail.conflict(
        `canaryRows is ${n} but only ${free.length} unused monitored contacts are configured; add contacts to areas.canaries.monitoredContacts or pass canaryContacts.`,
      );
    }
    return free.slice(0, n);
  }

  /** Writes who received which records as one export.created event (idempotent by its id). */
  private async record(file: ExportFilesTable, caller?: Caller) {
    const canaries = await this.canaries.byIds(JSON.parse(file.canary_ids));
    const real = JSON.parse(file.record_ids) as string[];
    const planted = file.subject_kind === 'order' ? canaries.map((c) => c.orderIds[0]!) : canaries.map((c) => c.customerId);
    const ids = [...real, ...planted];
    const out = await this.events.ingest(
      [
        {
          id: `export.created:${file.id}`,
          type: 'export.created',
          at: new Date(Number(file.at)).toISOString(),
          exportId: file.id,
          principalId: file.recipient_id,
          ...(file.subject_kind === 'order' ? { orderIds: ids } : { customerIds: ids }),
          fields: maskToFields(file.fields),
        },
      ],
      caller && { keyId: caller.keyId, principalId: caller.principalId },
    );
    if (out.rejected.length)
      throw new DomainError('invalid', out.rejected[0]!.problem.detail ?? out.rejected[0]!.problem.title, {
        type: 'invalid-export',
        title: 'Export could not be recorded',
      });
  }

  /** Per-recipient substitutes for these customers, creating the missing ones. */
  async substitutesFor(recipientId: string, kind: 'token' | 'virtual', customerIds: readonly string[]): Promise<Map<string, string>> {
    const have = new Map((await this.repo.substitutes(recipientId, kind, customerIds)).map((r) => [r.customer_id, r.value]));
    for (let attempt = 0; attempt < 5; attempt++) {
      const missing = customerIds.filter((c) => !have.has(c));
      if (!missing.length) return have;
      let values: string[];
      if (kind === 'token') values = missing.map(() => newToken());
      else {
        const used = await this.repo.usedValues('virtual', this.virtualPool);
        const free = this.virtualPool.filter((v) => !used.has(v));
        if (free.length < missing.length) {
          throw fail.conflict(
            `The virtual number pool has ${free.length} free numbers but this export needs ${missing.length}; rent more (areas.canaries.virtualNumbers) or use phone "token".`,
          );
        }
        values = free.slice(0, missing.length);
      }
      const created = this.now();
      await this.repo.insertSubstitutes(
        missing.map((customer_id, i) => ({ principal_id: recipientId, customer_id, kind, value: values[i]!, created_at: created })),
      );
      // Re-read: a concurrent export may have taken a value or bound the same customer first.
      for (const r of await this.repo.substitutes(recipientId, kind, missing)) have.set(r.customer_id, r.value);
    }
    throw fail.unavailable('Could not allocate substitutes; try again.');
  }

  private async render(file: ExportFilesTable, canaries: Canary[]): Promise<{ contentType: string; content: string }> {
    const byOrder = file.subject_kind === 'order';
    const real = JSON.parse(file.record_ids) as string[];
    // Real rows in the shop's order, canary rows at stable pseudo-random positions among them.
    const sequence = [...real];
    for (const c of [...canaries].sort((a, b) => a.id.localeCompare(b.id))) {
      const rec = byOrder ? c.orderIds[0]! : c.customerId;
      sequence.splice(slot(file.id, c.id, sequence.length), 0, rec);
    }
    const orders = byOrder ? new Map((await this.repo.orders(sequence)).map((o) => [o.id, o])) : new Map<string, OrdersTable>();
    const customerIds = byOrder ? [...new Set([...orders.values()].map((o) => o.customer_id))] : sequence;
    // Opened by the vault only for customers the export's access entries (export.created) name.
    const clear = await this.vault.readForExport(file.id, file.recipient_id, file.fields, customerIds);
    const refunds = byOrder && file.fields & FIELD_BIT.refund ? await this.repo.latestRefunds(sequence) : new Map<string, string>();
    const mode = file.phone_mode as PhoneMode;
    const subs = mode === 'real' ? new Map<string, string>() : await this.substitutesFor(file.recipient_id, mode, customerIds);

    const records: ExportRecord[] = [];
    for (const id of sequence) {
      const o = byOrder ? orders.get(id) : undefined;
      const cid = o ? o.customer_id : id;
      const d = clear.get(cid);
      if (!d) continue;
      const realPhone = d.phone ? displayPhone(d.phone) : null;
      const sub = subs.get(cid);
      records.push({
        orderNo: o?.id,
        name: d.name ?? null,
        phone: mode === 'real' ? realPhone : mode === 'virtual' ? displayPhone(sub!) : sub,
        email: d.email ?? null,
        address: formatAddress(d.address ?? null),
        items: o ? formatItems(o.items) : undefined,
        price: o ? (Number(o.total_minor) / 100).toFixed(2) : undefined,
        placedAt: o ? formatTime(Number(o.placed_at)) : undefined,
        refund: o ? (refunds.get(o.id) ?? '') : undefined,
      });
    }
    return renderExport(records, file.fields, file.format as ExportFormat);
  }

  async get(id: string): Promise<ExportInfo | undefined> {
    const r = await this.repo.file(id);
    return r ? toInfo(r) : undefined;
  }

  async list(opts: { recipientId?: string; limit?: number; after?: string }): Promise<ExportInfo[]> {
    return (await this.repo.files({ ...opts, limit: Math.min(opts.limit ?? 100, 1000) })).map(toInfo);
  }

  /**
   * Re-renders a recorded export file (same rows, same substitutes) for `caller`: a key bound to a
   * principal gets only exports made for that principal (others look absent); unbound ingest and
   * admin keys get any. Every download is one access entry per record, in the name of the caller
   * (its principal, or its key), appended before the file is returned (fail closed).
   */
  async file(id: string, caller: Caller) {
    const r = await this.repo.file(id);
    if (!r || (caller.principalId && caller.principalId !== r.recipient_id)) return undefined;
    if (!this.recordReads) throw fail.unavailable('Export downloads cannot be recorded, so none are served.');
    const canaries = await this.canaries.byIds(JSON.parse(r.canary_ids));
    const out = await this.render(r, canaries);
    const planted = r.subject_kind === 'order' ? canaries.map((c) => c.orderIds[0]!) : canaries.map((c) => c.customerId);
    const t = this.now();
    const byOrder = r.subject_kind === 'order';
    const entries: NewEntry[] = [...(JSON.parse(r.record_ids) as string[]), ...planted].map((rid) => ({
      source: 'vault',
      principal_id: principalOf(caller),
      customer_id: byOrder ? null : rid,
      order_id: byOrder ? rid : null,
      fields: Number(r.fields),
      purpose: 'export download',
      // not 'export': the recipients of an export are its export.created entries, a download is a read
      channel: 'download',
      export_id: r.id,
      key_id: caller.keyId,
      at: t,
      recorded_at: t,
    }));
    try {
      await this.recordReads(entries);
    } catch {
      throw fail.unavailable('The download could not be recorded, so the file is not returned. Try again later.');
    }
    return out;
  }

  /** Which recipient a substitute (token or virtual number, any common spelling) was given to. */
  async lookupSubstitutes(values: readonly string[]): Promise<{ value: string; kind: string; recipientId: string; customerId: string }[]> {
    const normalized = new Map<string, string>();
    for (const v of values) {
      const t = v.normalize('NFKC').trim().toUpperCase();
      if (isToken(t)) normalized.set(t, v);
      else {
        const p = normalizePhone(v);
        if (p) normalized.set(p, v);
      }
    }
    const rows = await this.repo.substitutesByValue([...normalized.keys()]);
    return rows.map((r) => ({ value: r.value, kind: r.kind, recipientId: r.principal_id, customerId: r.customer_id }));
  }

  /**
   * A call reached a substitute (the virtual-number provider's webhook, or the shop's line that
   * watches them): the substitute was given to one recipient only, so the record leaked from it.
   * Recorded once per call id and logged with ids only; unknown values are a 404.
   */
  async recordSubstituteCall(input: { value: string; callId?: string; channel: TripChannel; at?: number; from?: string }): Promise<SubstituteCallAlert> {
    const [hit] = await this.lookupSubstitutes([input.value]);
    if (!hit) throw fail.notFound('substitute');
    const received = this.now();
    const fromBidx = contactBlindIndex(this.cipher, input.from);
    const row: SubstituteCallsTable = {
      id: newId('subcall'),
      value: hit.value,
      kind: hit.kind,
      principal_id: hit.recipientId,
      customer_id: hit.customerId,
      channel: input.channel,
      client_id: input.callId ?? null,
      from_bidx: fromBidx,
      at: input.at ?? received,
      received_at: received,
    };
    const fresh = await this.repo.insertSubstituteCall(row);
    const stored = fresh ? row : ((input.callId ? await this.repo.substituteCallByClientId(input.callId) : undefined) ?? row);
    const exports = (await this.filesOf(hit.recipientId)).filter((f) => f.phone === hit.kind).map((f) => f.id);
    if (fresh) this.logger.warn({ callId: stored.id, recipientId: hit.recipientId, kind: hit.kind, channel: input.channel }, 'substitute called');
    return {
      call: toSubstituteCall(stored),
      exports,
      duplicate: !fresh,
      message: `A ${hit.kind === 'virtual' ? 'virtual number' : 'token'} given only to principal ${hit.recipientId} was reached by ${input.channel}: that recipient's export data has leaked.`,
    };
  }

  /** Recorded substitute calls, newest first (all, or those naming these recipients). */
  async substituteCalls(opts: { principalIds?: readonly string[]; limit?: number } = {}): Promise<SubstituteCall[]> {
    return (await this.repo.substituteCalls({ principalIds: opts.principalIds, limit: opts.limit ?? 1000 })).map(toSubstituteCall);
  }

  /** Export files sent to a recipient (for evidence). */
  async filesOf(recipientId: string): Promise<ExportInfo[]> {
    return (await this.repo.filesOfRecipient(recipientId)).map(toInfo);
  }
}

export interface SubstituteCall {
  id: string;
  kind: string;
  recipientId: string;
  customerId: string;
  channel: string;
  at: number;
  receivedAt: number;
}

export interface SubstituteCallAlert {
  call: SubstituteCall;
  exports: string[];
  duplicate: boolean;
  message: string;
}

function toSubstituteCall(r: SubstituteCallsTable): SubstituteCall {
  return {
    id: r.id,
    kind: r.kind,
    recipientId: r.principal_id,
    customerId: r.customer_id,
    channel: r.channel,
    at: Number(r.at),
    receivedAt: Number(r.received_at),
  };
}
