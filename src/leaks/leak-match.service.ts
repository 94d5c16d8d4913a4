// Which exports and recipients best explain a leaked file? Three kinds of evidence, scored on one
// scale (log10 of how much more likely the file is if it came from the recipient than if not):
//  - canary rows: a watched contact planted in one scope only; finding it is near-proof;
//  - substitutes: a token or virtual number given to one recipient only; near-proof as well;
//  - real customers: how far the recipient's export set covers the customers found beyond what
//    chance would (hypergeometric upper tail, Bonferroni-corrected over the recipients tested).
// See docs/areas/canaries.md for why these weights.
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { CanariesService, Canary, Scope } from './canaries.service.ts';
import type { ExportsRepository } from './exports.repository.ts';
import { extractLeak, type LeakFormat } from './leak-match.extract.ts';
import { hypergeomUpperTail } from './leak-match.stats.ts';

/** log10 weight of one fingerprint hit: the chance such a value turns up in a file not derived
 *  from its one scope is taken as at most 1e-6 (a mistyped number, a shop-side slip). */
export const FINGERPRINT_WEIGHT = 6;
/** Fingerprint hits beyond this many add nothing: the case is made. */
const MAX_FINGERPRINT_HITS = 5;

export interface MatchOptions {
  format?: LeakFormat;
  /** Corrected p-value under which real-record coverage alone counts as significant. */
  alpha?: number;
  /** Candidates to return. */
  limit?: number;
}

export interface CandidateExport {
  exportId: string;
  at: number | null;
  /** Real customers in the export (distinct). */
  size: number;
  /** Found customers this export contained. */
  covered: number;
  pValue: number;
}

export interface Candidate {
  scope: Scope;
  score: number;
  verdict: 'fingerprinted' | 'significant' | 'weak';
  canaryHits: { canaryId: string; scope: Scope; via: string[] }[];
  substituteHits: number;
  coverage: { found: number; covered: number; audience: number; expected: number; pValue: number; pCorrected: number };
  exports: CandidateExport[];
  explanation: string;
}

export interface MatchResult {
  format: string;
  records: number;
  skippedLines: number;
  identifiers: { phones: number; emails: number; tokens: number; orderNumbers: number; names: number };
  matched: { realCustomers: number; canaries: number; substitutes: number; unmatchedRecords: number };
  population: number;
  recipientsTested: number;
  candidates: Candidate[];
}

const keyOf = (s: Scope) => `${s.kind}:${s.id}`;

export class LeakMatchService {
  constructor(
    private readonly repo: ExportsRepository,
    private readonly canaries: CanariesService,
    private readonly cipher: FieldCipher,
  ) {}

  async match(content: string, opts: MatchOptions = {}): Promise<MatchResult> {
    const alpha = opts.alpha ?? 1e-3;
    const ex = extractLeak(content, opts.format ?? 'auto');
    const uniq = (f: (r: (typeof ex.records)[number]) => string[]) => [...new Set(ex.records.flatMap(f))];
    const phones = uniq((r) => r.phones);
    const emails = uniq((r) => r.emails);
    const tokens = uniq((r) => r.tokens);
    const orderNos = uniq((r) => r.orderNos);
    const names = uniq((r) => r.names);

    const phoneBidx = new Map(phones.map((p) => [p, this.cipher.blindIndex('phone', p)]));
    const emailBidx = new Map(emails.map((e) => [e, this.cipher.blindIndex('email', e)]));

    // Look every identifier up once.
    const realByPhone = new Map((await this.repo.realCustomersByPhone([...phoneBidx.values()])).map((r) => [r.phone_bidx!, r.id]));
    const realByEmail = new Map((await this.repo.realCustomersByEmail([...emailBidx.values()])).map((r) => [r.email_bidx!, r.id]));
    const orderCustomer = new Map((await this.repo.ordersById(orderNos)).map((o) => [o.id, o.customer_id]));
    const subs = new Map((await this.repo.substitutesByValue([...tokens, ...phones])).map((s) => [s.value, s]));
    const found = await this.canaries.findByIdentifiers({ phoneBidx: [...phoneBidx.values()], emailBidx: [...emailBidx.values()], orderIds: orderNos });
    const canaryByPhone = new Map(found.byPhone.map((x) => [x.bidx, x.canaryId]));
    const canaryByEmail = new Map(found.byEmail.map((x) => [x.bidx, x.canaryId]));
    const canaryByOrder = new Map(found.byOrder.map((x) => [x.orderId, x.canaryId]));
    const canaryNames = names.length ? await this.canaries.canaryNames() : new Map<string, string>();
    const canaryCustomers = await this.canaries.isCanary([...orderCustomer.values(), ...[...subs.values()].map((s) => s.customer_id)]);
    const canaryByCustomer = new Map<string, string>();
    for (const c of await this.canaries.byCustomerIds([...canaryCustomers])) canaryByCustomer.set(c.customerId, c.id);

    // Per record: which real customer, which canary, which substitute it shows.
    const realFound = new Set<string>();
    const canaryVia = new Map<string, Set<string>>();
    const subHits = new Map<string, Set<string>>(); // recipient → customers
    let unmatched = 0;
    const hitCanary = (id: string, via: string) => {
      const s = canaryVia.get(id) ?? new Set<string>();
      s.add(via);
      canaryVia.set(id, s);
    };
    for (const r of ex.records) {
      let any = false;
      for (const p of r.phones) {
        const b = phoneBidx.get(p)!;
        const real = realByPhone.get(b);
        if (real) (realFound.add(real), (any = true));
        const c = canaryByPhone.get(b);
        if (c) (hitCanary(c, 'phone'), (any = true));
      }
      for (const e of r.emails) {
        const b = emailBidx.get(e)!;
        const real = realByEmail.get(b);
        if (real) (realFound.add(real), (any = true));
        const c = canaryByEmail.get(b);
        if (c) (hitCanary(c, 'email'), (any = true));
      }
      for (const o of r.orderNos) {
        const c = canaryByOrder.get(o);
        if (c) (hitCanary(c, 'order number'), (any = true));
        else {
          const cust = orderCustomer.get(o);
          if (cust && !canaryCustomers.has(cust)) (realFound.add(cust), (any = true));
        }
      }
      for (const v of [...r.tokens, ...r.phones]) {
        const s = subs.get(v);
        if (!s) continue;
        any = true;
        const c = canaryByCustomer.get(s.customer_id);
        // A canary behind a substitute is counted once, as a canary.
        if (c) hitCanary(c, 'substitute');
        else {
          const set = subHits.get(s.principal_id) ?? new Set<string>();
          set.add(s.customer_id);
          subHits.set(s.principal_id, set);
        }
      }
      for (const n of r.names) {
        const c = canaryNames.get(n);
        if (c) (hitCanary(c, 'name'), (any = true));
      }
      if (!any) unmatched++;
    }
    // A name alone is weak (names repeat); count a canary found only by name as a hint, not proof.
    const canaryList = await this.canaries.byIds([...canaryVia.keys()]);

    const sizes = await this.repo.audienceSizes();
    const N = Math.max(await this.repo.realCustomerCount(), 1);
    const n = realFound.size;
    const hits = n ? await this.repo.exportHits([...realFound]) : [];
    const coveredByPrincipal = new Map<string, Set<string>>();
    const coveredByExport = new Map<string, Set<string>>();
    for (const h of hits) {
      if (!realFound.has(h.customerId)) continue;
      (coveredByPrincipal.get(h.principalId) ?? coveredByPrincipal.set(h.principalId, new Set()).get(h.principalId)!).add(h.customerId);
      (coveredByExport.get(h.exportId) ?? coveredByExport.set(h.exportId, new Set()).get(h.exportId)!).add(h.customerId);
    }
    const m = Math.max(sizes.byPrincipal.size, 1);

    // Candidates: every recipient with coverage, a substitute or a canary hit; plus canary scopes
    // that are not export recipients (teams, API clients, principals).
    const candidates = new Map<string, { scope: Scope; canaries: Canary[] }>();
    const ensure = (s: Scope) => candidates.get(keyOf(s)) ?? candidates.set(keyOf(s), { scope: s, canaries: [] }).get(keyOf(s))!;
    for (const p of coveredByPrincipal.keys()) ensure({ kind: 'principal', id: p });
    for (const p of subHits.keys()) ensure({ kind: 'principal', id: p });
    for (const c of canaryList) {
      const s: Scope = c.recipientId ? { kind: 'principal', id: c.recipientId } : c.scope;
      ensure(s).canaries.push(c);
    }

    const out: Candidate[] = [];
    for (const { scope, canaries } of candidates.values()) {
      const isRecipient = scope.kind === 'principal';
      const K = isRecipient ? (sizes.byPrincipal.get(scope.id) ?? 0) : 0;
      const k = isRecipient ? (coveredByPrincipal.get(scope.id)?.size ?? 0) : 0;
      const p = n && K ? hypergeomUpperTail(N, K, n, k) : 1;
      const pc = Math.min(1, p * m);
      const canaryHits = canaries.map((c) => ({ canaryId: c.id, scope: c.scope, via: [...(canaryVia.get(c.id) ?? [])] }));
      const strongCanaries = canaryHits.filter((h) => h.via.some((v) => v !== 'name')).length;
      const nameOnly = canaryHits.length - strongCanaries;
      const substituteHits = isRecipient ? (subHits.get(scope.id)?.size ?? 0) : 0;
      const fingerprints = Math.min(strongCanaries + substituteHits, MAX_FINGERPRINT_HITS);
      // A canary name without its number or order is a hint (1 in ~1e3 names collide), not proof.
      const score = fingerprints * FINGERPRINT_WEIGHT + Math.min(nameOnly, MAX_FINGERPRINT_HITS) * 1 + (k > 0 ? -Math.log10(Math.max(pc, 1e-300)) : 0);
      const verdict: Candidate['verdict'] = fingerprints > 0 ? 'fingerprinted' : pc < alpha ? 'significant' : 'weak';
      const exports: CandidateExport[] = [];
      if (isRecipient) {
        for (const [id, e] of sizes.byExport) {
          if (e.principalId !== scope.id) continue;
          const ck = coveredByExport.get(id)?.size ?? 0;
          if (!ck) continue;
          exports.push({ exportId: id, at: e.at || null, size: e.size, covered: ck, pValue: hypergeomUpperTail(N, e.size, n, ck) });
        }
        for (const c of canaries) if (c.scope.kind === 'export' && !exports.some((e) => e.exportId === c.scope.id)) {
          const e = sizes.byExport.get(c.scope.id);
          exports.push({ exportId: c.scope.id, at: e?.at || null, size: e?.size ?? 0, covered: 0, pValue: 1 });
        }
        exports.sort((a, b) => b.covered - a.covered || a.pValue - b.pValue);
      }
      const expected = N ? (n * K) / N : 0;
      const parts: string[] = [];
      if (strongCanaries) parts.push(`${strongCanaries} canary row(s) planted only in this scope appear in the file`);
      if (substituteHits) parts.push(`${substituteHits} substitute phone value(s) given only to this recipient appear in the file`);
      if (nameOnly) parts.push(`${nameOnly} canary name(s) appear without their contact (a hint only)`);
      if (k) parts.push(`it received ${k} of the ${n} real customers found (${expected.toFixed(1)} expected by chance, corrected p = ${pc.toPrecision(2)})`);
      out.push({
        scope,
        score: Math.round(score * 100) / 100,
        verdict,
        canaryHits,
        substituteHits,
        coverage: { found: n, covered: k, audience: K, expected: Math.round(expected * 100) / 100, pValue: p, pCorrected: pc },
        exports: exports.slice(0, 20),
        explanation: parts.join('; ') || 'no evidence',
      });
    }
    out.sort((a, b) => b.score - a.score || b.coverage.covered - a.coverage.covered);
    return {
      format: ex.format,
      records: ex.records.length,
      skippedLines: ex.skipped,
      identifiers: { phones: phones.length, emails: emails.length, tokens: tokens.length, orderNumbers: orderNos.length, names: names.length },
      matched: { realCustomers: n, canaries: canaryList.length, substitutes: [...subHits.values()].reduce((s, x) => s + x.size, 0), unmatchedRecords: unmatched },
      population: N,
      recipientsTested: m,
      candidates: out.slice(0, opts.limit ?? 20),
    };
  }
}
