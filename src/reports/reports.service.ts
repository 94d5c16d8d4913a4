// Scam reports: validate and redact on the way in, turn into normalised indicators, assign to a
// case, and answer the questions analysts ask (case statistics, indicator risk, feeds, victims).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Database } from '../db/database.ts';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { Caller } from '../http/roles.ts';
import { DomainError, fail } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import { fieldsToMask, maskToFields, type AccessField } from '../lib/fields.ts';
import { parseEventTime } from '../events/event-time.ts';
import { redact, redactField } from './redact.ts';
import { scrubUrl } from './url-scrub.ts';
import {
  normalizeReportedPhone,
  normalizeAccount,
  normalizeMerchantId,
  normalizeCompany,
  normalizeSender,
  normalizeSocial,
  normalizeApp,
  normalizeUrl,
  type IndicatorKind,
} from './normalize.ts';
import { decodeEvidence, storeEvidence, type EvidenceFile } from './evidence.ts';
import { clusterReport, reviewCase, lockCases, keyOf, type LinkKey } from './cases.repository.ts';
import type { HindsightRule } from './hindsight.ts';
import { reportArrived } from './workflow.store.ts';
import { institutionMatcher } from './institutions.ts';
import { riskTier, trustRank, type RiskTier, type TrustLevel } from './risk.ts';
import type { WarningList } from './warning-list.ts';
import type { ReportInputT } from './reports.schemas.ts';

export interface ReportsConfig {
  /** When a value stops linking (hindsight.ts): the bridge test and, as a last resort, a report count. */
  linking: HindsightRule;
  /** Payee names that are payment institutions and never link (built-in list unless configured). */
  paymentInstitutions: readonly string[];
  dataDir: string;
  /** Orders placed this long before a contact are candidates when resolving anonymous order HMACs. */
  orderLookbackMs: number;
}

export interface Indicator {
  kind: IndicatorKind;
  value: string;
  official: boolean;
  /** A payment institution named as payee: stored, never linked. */
  institution: boolean;
}

export interface SubmitResult {
  reportId: string;
  caseId: string;
  reference: string;
  trust: TrustLevel;
  created: boolean;
}

const toMinor = (amount: number) => Math.round(amount * 100);
const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());

function invalid(path: string, message: string): DomainError {
  return fail.validation(`The body failed validation: ${path} ${message}`, [{ path, message }]);
}

/** A reference number the reporter can quote ("FZ-7K3M-Q9TD"): random, says nothing about the report. */
function newReference(): string {
  const A = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  const b = randomBytes(8);
  let s = '';
  for (let i = 0; i < 8; i++) s += A[b[i]! % 32];
  return `FZ-${s.slice(0, 4)}-${s.slice(4)}`;
}

export class ReportsService {
  private readonly db: Kysely<DB>;
  private readonly builtinInstitution: (payeeName: string) => boolean;
  constructor(
    private readonly database: Database,
    private readonly cipher: FieldCipher,
    readonly warningList: WarningList,
    readonly config: ReportsConfig,
    private readonly shop: ShopService,
  ) {
    this.db = database.db;
    this.builtinInstitution = institutionMatcher(config.paymentInstitutions);
  }

  /** Normalises every linkable value of a report; throws a 400 naming the field when one is not valid. */
  async extractIndicators(input: ReportInputT): Promise<Indicator[]> {
    const out: { kind: IndicatorKind; value: string }[] = [];
    input.callerNumbers.forEach((n, i) => {
      const v = normalizeReportedPhone(n);
      if (!v) throw invalid(`/callerNumbers/${i}`, 'is not a phone number');
      out.push({ kind: 'phone', value: v });
    });
    if (input.smsSender) {
      const v = normalizeSender(input.smsSender);
      if (!v) throw invalid('/smsSender', 'is not a phone number or SMS signature');
      out.push({ kind: v.startsWith('+') || v.startsWith('cn-short:') ? 'phone' : 'sms_sender', value: v });
    }
    input.urls.forEach((u, i) => {
      // The victim's own phone or ID in a personalised link is removed; the rest stays the indicator.
      const n = normalizeUrl(scrubUrl(u));
      if (!n) throw invalid(`/urls/${i}`, 'is not an http(s) URL or host name');
      out.push({ kind: 'url', value: n.url }, { kind: 'domain', value: n.registrableDomain });
    });
    input.payments.forEach((p, i) => {
      if (p.payeeAccount !== undefined) {
        const v = normalizeAccount(p.payeeAccount);
        if (!v) throw invalid(`/payments/${i}/payeeAccount`, 'is not an account number (ID numbers are never accepted)');
        out.push({ kind: 'payee_account', value: v });
      }
      if (p.payeeName !== undefined) {
        const v = normalizeCompany(redact(p.payeeName).text);
        if (!v) throw invalid(`/payments/${i}/payeeName`, 'is too short');
        out.push({ kind: 'payee_name', value: v });
      }
      if (p.merchantId !== undefined) {
        const v = normalizeMerchantId(p.merchantId);
        if (!v) throw invalid(`/payments/${i}/merchantId`, 'is not a merchant id');
        out.push({ kind: 'merchant_id', value: v });
      }
    });
    input.socialAccounts.forEach((s, i) => {
      const v = normalizeSocial(s.platform, redact(s.handle).text);
      if (!v) throw invalid(`/socialAccounts/${i}/handle`, 'is empty');
      out.push({ kind: 'social', value: v });
    });
    input.apps.forEach((a, i) => {
      const v = normalizeApp(a);
      if (!v) throw invalid(`/apps/${i}`, 'is empty');
      out.push({ kind: 'app', value: v });
    });
    const uniq = [...new Map(out.map((k) => [keyOf(k), k])).values()];
    const official = await this.warningList.matcher();
    const listed = await this.warningList.institutions();
    const institution = (k: { kind: string; value: string }) => k.kind === 'payee_name' && (this.builtinInstitution(k.value) || listed(k.value));
    return uniq.map((k) => ({ ...k, official: official(k.kind, k.value), institution: institution(k) }));
  }

  async submit(input: ReportInputT, caller: Caller | undefined): Promise<SubmitResult> {
    const now = Date.now();
    const contact = parseEventTime(input.contactAt, now);
    if ('error' in contact) throw invalid('/contactAt', contact.error);
    const paidAt = input.payments.map((p, i) => {
      if (p.paidAt === undefined) return null;
      const t = parseEventTime(p.paidAt, now);
      if ('error' in t) throw invalid(`/payments/${i}/paidAt`, t.error);
      return t.ms;
    });
    const evidence: EvidenceFile[] = input.evidence.map((e, i) => {
      const f = decodeEvidence(e.contentType, e.dataBase64);
      if (typeof f === 'string') throw invalid(`/evidence/${i}`, f);
      return f;
    });
    const indicators = await this.extractIndicators(input);

    const submitter = caller ? `key:${caller.keyId}` : 'public';
    const idemKey = input.clientId ? `${submitter}/${input.clientId}` : null;
    if (idemKey) {
      const prior = await this.db.selectFrom('reports').select(['id', 'case_id', 'ref', 'trust']).where('idem_key', '=', idemKey).executeTakeFirst();
      if (prior) return this.priorResult(prior);
    }

    const authenticated = caller !== undefined;
    const customerId = authenticated ? (input.customerId ?? null) : null;
    let trust: TrustLevel = 'anonymous';
    if (customerId) {
      trust = 'signed-in';
      if (input.orderIds.length) {
        const owned = await this.shop.ordersOfCustomer(customerId, input.orderIds);
        if (owned.length === new Set(input.orderIds).size) trust = 'verified-order-owner';
      }
    }

    const currency = input.payments[0]?.currency ?? 'CNY';
    const loss = input.payments.filter((p) => p.currency === currency).reduce((s, p) => s + toMinor(p.amount), 0);
    const details = {
      claimedIdentity: redactField(input.claimedIdentity),
      scriptTags: input.scriptTags,
      exposed: input.exposed,
      apps: input.apps.map((a) => redact(a).text),
      narrative: redactField(input.narrative),
    };
    for (const f of evidence) storeEvidence(this.config.dataDir, f);

    const reportId = newId('rep');
    const reference = newReference();
    try {
      const caseId = await this.db.transaction().execute(async (trx) => {
        await lockCases(trx, this.database.dialect);
        const linkKeys: LinkKey[] = indicators.filter((i) => !i.official && !i.institution);
        const inert: LinkKey[] = indicators.filter((i) => !i.official && i.institution);
        const { caseId: joined, linked } = await clusterReport(trx, reportId, linkKeys, inert, this.config.linking, now);
        await trx
          .insertInto('reports')
          .values({
            id: reportId,
            ref: reference,
            idem_key: idemKey,
            case_id: joined,
            trust,
            channel: input.channel,
            contact_at: contact.ms,
            received_at: now,
            submitted_by: caller?.keyId ?? null,
            customer_id: customerId,
            knew_fields: fieldsToMask(input.knewFields),
            details: JSON.stringify(details),
            loss_minor: loss,
            currency,
          })
          .execute();
        if (input.orderIds.length) {
          await trx
            .insertInto('report_orders')
            .values(
              [...new Set(input.orderIds)].map((o) => ({
                report_id: reportId,
                order_id: authenticated ? o : null,
                order_bidx: this.cipher.blindIndex('order', o),
              })),
            )
            .execute();
        }
        if (input.payments.length) {
          await trx
            .insertInto('report_payments')
            .values(
              input.payments.map((p, i) => ({
                report_id: reportId,
                amount_minor: toMinor(p.amount),
                currency: p.currency,
                method: p.method,
                payee_name: p.payeeName !== undefined ? normalizeCompany(redact(p.payeeName).text) : null,
                payee_account: p.payeeAccount !== undefined ? normalizeAccount(p.payeeAccount) : null,
                institution: redactField(p.institution),
                merchant_id: p.merchantId !== undefined ? normalizeMerchantId(p.merchantId) : null,
                txn_ref: redactField(p.txnRef),
                paid_at: paidAt[i] ?? null,
              })),
            )
            .execute();
        }
        if (indicators.length) {
          await trx
            .insertInto('report_indicators')
            .values(
              indicators.map((k) => ({
                report_id: reportId,
                kind: k.kind,
                value: k.value,
                linked: linked.has(keyOf(k)) ? 1 : 0,
                official: k.official ? 1 : 0,
              })),
            )
            .execute();
        }
        if (evidence.length) {
          await trx
            .insertInto('report_evidence')
            .values(
              evidence.map((f) => ({
                id: newId('evd'),
                report_id: reportId,
                sha256: f.sha256,
                content_type: f.contentType,
                size: f.bytes.length,
                created_at: now,
              })),
            )
            .execute();
        }
        // Hindsight: this report may show one of its values to be over-correlated; its case splits.
        const reviewed = (await reviewCase(trx, joined, reportId, this.config.linking, now)).caseId;
        // Workflow: a report on a resolved case reopens it (or its history says why not).
        await reportArrived(trx, reviewed, reportId, now);
        return reviewed;
      });
      return { reportId, caseId, reference, trust, created: true };
    } catch (e) {
      // A concurrent resubmission with the same client id won the race: answer as it did.
      if (idemKey) {
        const prior = await this.db.selectFrom('reports').select(['id', 'case_id', 'ref', 'trust']).where('idem_key', '=', idemKey).executeTakeFirst();
        if (prior) return this.priorResult(prior);
      }
      throw e;
    }
  }

  private priorResult(p: { id: string; case_id: string; ref: string; trust: string }): SubmitResult {
    return { reportId: p.id, caseId: p.case_id, reference: p.ref, trust: p.trust as TrustLevel, created: false };
  }

  /** Marks a report as confirmed by staff (after a call-back, say): its indicators rank higher. */
  async confirm(reportId: string): Promise<boolean> {
    const r = await this.db.updateTable('reports').set({ trust: 'staff-confirmed' }).where('id', '=', reportId).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async getReport(id: string) {
    const r = await this.db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!r) return null;
    const [orders, payments, inds, evidence] = await Promise.all([
      this.db.selectFrom('report_orders').selectAll().where('report_id', '=', id).execute(),
      this.db.selectFrom('report_payments').selectAll().where('report_id', '=', id).orderBy('id').execute(),
      this.db.selectFrom('report_indicators').selectAll().where('report_id', '=', id).execute(),
      this.db.selectFrom('report_evidence').selectAll().where('report_id', '=', id).execute(),
    ]);
    const d = JSON.parse(r.details) as { claimedIdentity: string | null; scriptTags: string[]; exposed: string[]; apps: string[]; narrative: string | null };
    const unlinked = inds.length
      ? new Map(
          (
            await this.db
              .selectFrom('indicators')
              .select(['kind', 'value', 'unlinked_reason'])
              .where((eb) => eb.or(inds.map((i) => eb.and([eb('kind', '=', i.kind), eb('value', '=', i.value)]))))
              .execute()
          ).map((i) => [keyOf(i), i.unlinked_reason]),
        )
      : new Map<string, string | null>();
    return {
      id: r.id,
      reference: r.ref,
      caseId: r.case_id,
      trust: r.trust as TrustLevel,
      channel: r.channel,
      contactAt: iso(r.contact_at)!,
      receivedAt: iso(r.received_at)!,
      customerId: r.customer_id,
      orderIds: orders.flatMap((o) => (o.order_id ? [o.order_id] : [])),
      anonymousOrderRefs: orders.filter((o) => !o.order_id).length,
      knewFields: maskToFields(r.knew_fields),
      scriptTags: d.scriptTags,
      exposed: d.exposed,
      claimedIdentity: d.claimedIdentity,
      narrative: d.narrative,
      apps: d.apps,
      loss: Number(r.loss_minor) / 100,
      currency: r.currency,
      payments: payments.map((p) => ({
        amount: Number(p.amount_minor) / 100,
        currency: p.currency,
        method: p.method,
        payeeName: p.payee_name,
        payeeAccount: p.payee_account,
        institution: p.institution,
        merchantId: p.merchant_id,
        txnRef: p.txn_ref,
        paidAt: iso(p.paid_at),
      })),
      indicators: inds.map((i) => ({
        kind: i.kind,
        value: i.value,
        linked: i.linked === 1,
        official: i.official === 1,
        unlinkedReason: unlinked.get(keyOf(i)) ?? null,
      })),
      evidence: evidence.map((e) => ({ id: e.id, sha256: e.sha256, contentType: e.content_type, size: Number(e.size) })),
    };
  }

  /** The current id of a case (follows one merge hop: merged cases always point at their root). */
  async resolveCase(id: string): Promise<string | null> {
    const c = await this.db.selectFrom('cases').select(['id', 'merged_into']).where('id', '=', id).executeTakeFirst();
    return c ? (c.merged_into ?? c.id) : null;
  }

  async listCases(opts: { limit: number; offset: number; minReports: number }) {
    const rows = await this.db
      .selectFrom('cases')
      .selectAll()
      .where('merged_into', 'is', null)
      .where('report_count', '>=', opts.minReports)
      .orderBy('report_count', 'desc')
      .orderBy('updated_at', 'desc')
      .limit(opts.limit)
      .offset(opts.offset)
      .execute();
    return rows.map((c) => ({ id: c.id, reports: Number(c.report_count), createdAt: iso(c.created_at)!, updatedAt: iso(c.updated_at)! }));
  }

  async caseReports(caseId: string) {
    return this.db.selectFrom('reports').selectAll().where('case_id', '=', caseId).orderBy('contact_at').execute();
  }
  async casePayments(caseId: string) {
    return this.db
      .selectFrom('report_payments')
      .innerJoin('reports', 'reports.id', 'report_payments.report_id')
      .selectAll('report_payments')
      .select(['reports.contact_at'])
      .where('reports.case_id', '=', caseId)
      .orderBy('report_payments.id')
      .execute();
  }
  async caseIndicators(caseId: string) {
    return this.db
      .selectFrom('report_indicators')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .innerJoin('indicators', (j) => j.onRef('indicators.kind', '=', 'report_indicators.kind').onRef('indicators.value', '=', 'report_indicators.value'))
      .select([
        'report_indicators.kind',
        'report_indicators.value',
        'indicators.unlinked_reason',
        'indicators.first_seen',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('reports.case_id', '=', caseId)
      .where('report_indicators.official', '=', 0)
      .groupBy(['report_indicators.kind', 'report_indicators.value', 'indicators.unlinked_reason', 'indicators.first_seen'])
      .execute();
  }
  async caseMerges(caseId: string) {
    return this.db.selectFrom('case_merges').selectAll().where('into_case', '=', caseId).orderBy('id').execute();
  }
  /** Splits this case took part in: parts split off it, and the split that created it. */
  async caseSplits(caseId: string) {
    return this.db
      .selectFrom('case_splits')
      .selectAll()
      .where((eb) => eb.or([eb('from_case', '=', caseId), eb('into_case', '=', caseId)]))
      .orderBy('id')
      .execute();
  }
  async caseRow(caseId: string) {
    return this.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirst();
  }

  /** Risk tiers for many indicators at once, from the reports that carry them (official values excluded). */
  async riskOf(keys: LinkKey[]): Promise<Map<string, { tier: RiskTier; reports: number; cases: string[] }>> {
    const out = new Map<string, { tier: RiskTier; reports: number; cases: string[] }>();
    if (!keys.length) return out;
    // Over-correlated values and payment institutions carry no risk of their own (a processor's hotline, say).
    const rows = await this.db
      .selectFrom('report_indicators')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .innerJoin('indicators', (j) => j.onRef('indicators.kind', '=', 'report_indicators.kind').onRef('indicators.value', '=', 'report_indicators.value'))
      .select(['report_indicators.kind', 'report_indicators.value', 'reports.trust', 'reports.loss_minor', 'reports.case_id'])
      .where('report_indicators.official', '=', 0)
      .where('indicators.unlinked_reason', 'is', null)
      .where((eb) => eb.or(keys.map((k) => eb.and([eb('report_indicators.kind', '=', k.kind), eb('report_indicators.value', '=', k.value)]))))
      .execute();
    return aggregateRisk(rows);
  }

  /** Every indicator of the given kinds at or above a tier, for feeds. */
  async riskOfKinds(kinds: string[]) {
    // Over-correlated values and payment institutions are not the scammers': no feed carries them.
    const rows = await this.db
      .selectFrom('report_indicators')
      .innerJoin('reports', 'reports.id', 'report_indicators.report_id')
      .innerJoin('indicators', (j) => j.onRef('indicators.kind', '=', 'report_indicators.kind').onRef('indicators.value', '=', 'report_indicators.value'))
      .select(['report_indicators.kind', 'report_indicators.value', 'reports.trust', 'reports.loss_minor', 'reports.case_id'])
      .where('report_indicators.official', '=', 0)
      .where('indicators.unlinked_reason', 'is', null)
      .where('report_indicators.kind', 'in', kinds)
      .execute();
    return aggregateRisk(rows);
  }

  /** Reports for the CSV export (newest first, bounded). */
  async exportReports(limit: number) {
    return this.db.selectFrom('reports').selectAll().orderBy('received_at', 'desc').limit(limit).execute();
  }

  async reportIndicatorsFor(reportIds: string[]) {
    if (!reportIds.length) return [];
    return this.db.selectFrom('report_indicators').selectAll().where('report_id', 'in', reportIds).execute();
  }

  // ---- victims (VictimSource) ----

  /**
   * Victims of the given reports: the signed-in customer, and each order the report names. Clear
   * order ids (authenticated reports) are used as they are. Anonymous reports hold only
   * HMAC(order id); we resolve them by computing the HMAC of candidate orders — those placed in
   * the look-back window before the contact (and, when known, of the reporter's customer) — and
   * matching. The keyed HMAC means nobody without the index key can do this from the database.
   */
  async victimsForReports(reportIds: string[]) {
    if (!reportIds.length) return [];
    const reports = await this.db.selectFrom('reports').selectAll().where('id', 'in', reportIds).execute();
    const orders = await this.db.selectFrom('report_orders').selectAll().where('report_id', 'in', reportIds).execute();
    const victims: { customerId?: string; orderId?: string; contactAt: number; knewFields: AccessField[]; reportId: string }[] = [];
    for (const r of reports) {
      const mine = orders.filter((o) => o.report_id === r.id);
      const resolved: string[] = mine.flatMap((o) => (o.order_id ? [o.order_id] : []));
      const pending = new Set(mine.filter((o) => !o.order_id).map((o) => o.order_bidx));
      if (pending.size) {
        const placed = await this.shop.ordersPlacedWithin(Number(r.contact_at) - this.config.orderLookbackMs, Number(r.contact_at), r.customer_id);
        for (const id of placed) if (pending.has(this.cipher.blindIndex('order', id))) resolved.push(id);
      }
      const owners = resolved.length ? await this.shop.customersOfOrders(resolved) : new Map<string, string>();
      const base = { contactAt: Number(r.contact_at), knewFields: maskToFields(r.knew_fields), reportId: r.id };
      for (const orderId of new Set(resolved)) {
        const owner = owners.get(orderId);
        victims.push({ ...base, orderId, ...((owner ?? r.customer_id) ? { customerId: (owner ?? r.customer_id)! } : {}) });
      }
      if (!resolved.length && r.customer_id) victims.push({ ...base, customerId: r.customer_id });
    }
    return victims;
  }

  async victimsForCase(caseId: string) {
    const id = (await this.resolveCase(caseId)) ?? caseId;
    const ids = (await this.db.selectFrom('reports').select('id').where('case_id', '=', id).execute()).map((r) => r.id);
    return this.victimsForReports(ids);
  }
}

export function aggregateRisk(rows: { kind: string; value: string; trust: string; loss_minor: number; case_id: string }[]) {
  const acc = new Map<string, { kind: string; value: string; reports: number; maxTrust: number; withLoss: number; cases: Set<string> }>();
  for (const r of rows) {
    const k = keyOf(r);
    let a = acc.get(k);
    if (!a) acc.set(k, (a = { kind: r.kind, value: r.value, reports: 0, maxTrust: 0, withLoss: 0, cases: new Set() }));
    a.reports++;
    a.maxTrust = Math.max(a.maxTrust, trustRank(r.trust));
    if (Number(r.loss_minor) > 0) a.withLoss++;
    a.cases.add(r.case_id);
  }
  const out = new Map<string, { kind: string; value: string; tier: RiskTier; reports: number; cases: string[] }>();
  for (const [k, a] of acc) out.set(k, { kind: a.kind, value: a.value, tier: riskTier(a), reports: a.reports, cases: [...a.cases] });
  return out;
}
