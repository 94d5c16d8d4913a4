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
import type { LeakFormat } from './leak-match.extract.ts';
import { LeakExtractor } from './leak-match.offload.ts';
import { hypergeomUpperTail } from './leak-match.stats.ts';

/** log10 weight of one fingerprint hit: the chance such a value turns up in a file not derived
 *  from its one scope is taken as at most 1e-6 (a mistyped number, a shop-side slip). */
export const FINGERPRINT_WEIGHT = 6;
/** Fingerprint hits beyond this many add nothing: the case is made. */
const MAX_FINGERPRINT_HITS = 5;
/** log10 weight of a canary found by name only: common names collide (about 1 in 1,000). */
const NAME_WEIGHT = 1;

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
  coverage: {
    found: number;
    covered: number;
    audience: number;
    expected: number;
    pValue: number;
    pCorrected: number;
    /** Covered customers not already explained by a higher-ranked candidate, and their corrected p. */
    coveredUnexplained: number;
    pUnexplainedCorrected: number;
  };
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
    private readonly extractor: LeakExtractor = new LeakExtractor(),
  ) {}

  async match(content: string, opts: MatchOptions = {}): Promise<MatchResult> {
    const alpha = opts.alpha ?? 1e-3;
    const ex = await this.extractor.extract(content, opts.format ?? 'auto');
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
        if (real) {
          realFound.add(real);
          any = true;
        }
        const c = canaryByPhone.get(b);
        if (c) {
          hitCanary(c, 'phone');
          any = true;
        }
      }
      for (const e of r.emails) {
        const b = emailBidx.get(e)!;
        const real = realByEmail.get(b);
        if (real) {
          realFound.add(real);
          any = true;
        }
        const c = canaryByEmail.get(b);
        if (c) {
          hitCanary(c, 'email');
          any = true;
        }
      }
      for (const o of r.orderNos) {
        const c = canaryByOrder.get(o);
        if (c) {
          hitCanary(c, 'order number');
          any = true;
        } else {
          const cust = orderCustomer.get(o);
          if (cust && !canaryCustomers.has(cust)) {
            realFound.add(cust);
            any = true;
          }
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
        if (c) {
          hitCanary(c, 'name');
          any = true;
        }
      }
      if (!any) unmatched++;
    }
    // A name alone is weak (names repeat); count a canary found only by name as a hint, not proof.
    const canaryList = await this.canaries.byIds([...canaryVia.keys()]);

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
    const m = Math.max(await this.repo.recipientCount(), 1);
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

    // Audiences of the candidate recipients only, less the canaries they received (not real customers).
    const sizes = await this.repo.audienceSizes([...candidates.values()].filter((c) => c.scope.kind === 'principal').map((c) => c.scope.id));
    const canaryIds = await this.canaries.canaryCustomerIds();
    if (canaryIds.length) {
      const perPrincipal = new Map<string, Set<string>>();
      const perExport = new Map<string, Set<string>>();
      for (const h of await this.repo.exportHits(canaryIds)) {
        (perPrincipal.get(h.principalId) ?? perPrincipal.set(h.principalId, new Set()).get(h.principalId)!).add(h.customerId);
        (perExport.get(h.exportId) ?? perExport.set(h.exportId, new Set()).get(h.exportId)!).add(h.customerId);
      }
      for (const [p, set] of perPrincipal) if (sizes.byPrincipal.has(p)) sizes.byPrincipal.set(p, sizes.byPrincipal.get(p)! - set.size);
      for (const [e, set] of perExport) {
        const x = sizes.byExport.get(e);
        if (x) x.size -= set.size;
      }
    }

    // Fixed evidence per candidate: fingerprints, and the raw coverage of the real customers found.
    const prepared = [...candidates.values()].map(({ scope, canaries }) => {
      const isRecipient = scope.kind === 'principal';
      const covered = isRecipient ? (coveredByPrincipal.get(scope.id) ?? new Set<string>()) : new Set<string>();
      const K = isRecipient ? (sizes.byPrincipal.get(scope.id) ?? 0) : 0;
      const canaryHits = canaries.map((c) => ({ canaryId: c.id, scope: c.scope, via: [...(canaryVia.get(c.id) ?? [])] }));
      const strongCanaries = canaryHits.filter((h) => h.via.some((v) => v !== 'name')).length;
      const nameOnly = canaryHits.length - strongCanaries;
      const substituteHits = isRecipient ? (subHits.get(scope.id)?.size ?? 0) : 0;
      const fingerprints = Math.min(strongCanaries + substituteHits, MAX_FINGERPRINT_HITS);
      // A canary name without its number or order is a hint (names repeat), not proof.
      const fixed = fingerprints * FINGERPRINT_WEIGHT + Math.min(nameOnly, MAX_FINGERPRINT_HITS) * NAME_WEIGHT;
      return { scope, canaries, isRecipient, covered, K, canaryHits, strongCanaries, nameOnly, substituteHits, fingerprints, fixed };
    });
    type Prepared = (typeof prepared)[number];
    const coverageScore = (c: Prepared, remaining: Set<string>) => {
      let k = 0;
      for (const id of c.covered) if (remaining.has(id)) k++;
      const p = remaining.size && c.K && k ? hypergeomUpperTail(N, c.K, remaining.size, k) : 1;
      const pc = Math.min(1, p * m);
      return { k, p, pc, score: c.fixed + (k ? -Math.log10(Math.max(pc, 1e-300)) : 0) };
    };

    // Explaining away, greedily: the best-supported candidate is taken first and the real customers
    // it covers count as explained; each next candidate is scored only on what is still unexplained.
    // A recipient whose export merely overlaps the leaker's then stops looking significant, while a
    // second, independent leaker keeps its own records and its own significance.
    const out: Candidate[] = [];
    const remaining = new Set(realFound);
    const left = new Set(prepared);
    while (left.size) {
      let best: Prepared | undefined;
      let bestS: ReturnType<typeof coverageScore> | undefined;
      for (const c of left) {
        const s = coverageScore(c, remaining);
        if (!bestS || s.score > bestS.score || (s.score === bestS.score && s.k > bestS.k)) {
          best = c;
          bestS = s;
        }
      }
      const c = best!;
      const cs = bestS!;
      left.delete(c);
      const raw = c.isRecipient && n && c.K ? hypergeomUpperTail(N, c.K, n, c.covered.size) : 1;
      const verdict: Candidate['verdict'] = c.fingerprints > 0 ? 'fingerprinted' : cs.pc < alpha ? 'significant' : 'weak';
      if (verdict !== 'weak') for (const id of c.covered) remaining.delete(id);
      const exports: CandidateExport[] = [];
      if (c.isRecipient) {
        for (const [id, e] of sizes.byExport) {
          if (e.principalId !== c.scope.id) continue;
          const ck = coveredByExport.get(id)?.size ?? 0;
          if (ck) exports.push({ exportId: id, at: e.at || null, size: e.size, covered: ck, pValue: hypergeomUpperTail(N, e.size, n, ck) });
        }
        for (const can of c.canaries) {
          if (can.scope.kind !== 'export' || exports.some((e) => e.exportId === can.scope.id)) continue;
          const e = sizes.byExport.get(can.scope.id);
          exports.push({ exportId: can.scope.id, at: e?.at || null, size: e?.size ?? 0, covered: 0, pValue: 1 });
        }
        // The export whose canary is in the file first, then by coverage.
        const planted = new Set(c.canaryHits.filter((h) => h.scope.kind === 'export').map((h) => h.scope.id));
        exports.sort((a, b) => Number(planted.has(b.exportId)) - Number(planted.has(a.exportId)) || b.covered - a.covered || a.pValue - b.pValue);
      }
      const k = c.covered.size;
      const expected = N ? (n * c.K) / N : 0;
      const parts: string[] = [];
      if (c.strongCanaries) parts.push(`${c.strongCanaries} canary row(s) planted only in this scope appear in the file`);
      if (c.substituteHits) parts.push(`${c.substituteHits} substitute phone value(s) given only to this recipient appear in the file`);
      if (c.nameOnly) parts.push(`${c.nameOnly} canary name(s) appear without their contact (a hint only)`);
      if (k) {
        parts.push(
          `it received ${k} of the ${n} real customers found (${expected.toFixed(1)} expected by chance, corrected p = ${Math.min(1, raw * m).toPrecision(2)})`,
        );
        if (cs.k < k) parts.push(`${cs.k} of them are not already explained by a higher-ranked candidate (corrected p = ${cs.pc.toPrecision(2)})`);
      }
      out.push({
        scope: c.scope,
        score: Math.round(cs.score * 100) / 100,
        verdict,
        canaryHits: c.canaryHits,
        substituteHits: c.substituteHits,
        coverage: {
          found: n,
          covered: k,
          audience: c.K,
          expected: Math.round(expected * 100) / 100,
          pValue: raw,
          pCorrected: Math.min(1, raw * m),
          coveredUnexplained: cs.k,
          pUnexplainedCorrected: cs.pc,
        },
        exports: exports.slice(0, 20),
        explanation: parts.join('; ') || 'no evidence',
      });
    }
    return {
      format: ex.format,
      records: ex.records.length,
      skippedLines: ex.skipped,
      identifiers: { phones: phones.length, emails: emails.length, tokens: tokens.length, orderNumbers: orderNos.length, names: names.length },
      matched: {
        realCustomers: n,
        canaries: canaryList.length,
        substitutes: [...subHits.values()].reduce((s, x) => s + x.size, 0),
        unmatchedRecords: unmatched,
      },
      population: N,
      recipientsTested: m,
      candidates: out.slice(0, opts.limit ?? 20),
    };
  }
}
