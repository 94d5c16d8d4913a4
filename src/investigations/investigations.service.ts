// Investigations: turn victims (given directly, or from reports and cases through the
// VictimSource port) into engine input, keep the in-memory access index current, run the
// attribution engine and store the result with evidence a security team can act on.
import type { Logger } from 'pino';
import { CHANNEL_NAMES, type AccessIndex } from './access-index.ts';
import { AccessIndexLoader } from './access-index.loader.ts';
import {
  attribute,
  DEFAULT_SETTINGS,
  suspectId,
  type AttributionResult,
  type AttributionSettings,
  type EngineVictim,
  type LoginRecord,
  type PrincipalGroup,
} from './attribution.ts';
import { ASSIGNED_KINDS, buildPopulation } from './population.ts';
import { InvestigationsRepository } from './investigations.repository.ts';
import type { VictimSource, Victim } from './victims.port.ts';
import { fieldsToMask, maskToFields } from '../lib/fields.ts';
import { newId } from '../lib/ids.ts';
import { DomainError, fail } from '../lib/errors.ts';
import type { InvestigationT, InvestigationRequestT } from './investigations.schemas.ts';

const DAY = 86_400_000;
const MAX_READS_PER_VICTIM = 10;
const MAX_AT_RISK_IDS = 10_000;

export interface InvestigationsOptions {
  settings?: Partial<AttributionSettings>;
}

export class InvestigationsService {
  readonly loader: AccessIndexLoader;
  private readonly defaults: AttributionSettings;

  constructor(
    private readonly repo: InvestigationsRepository,
    private readonly victimSource: () => VictimSource | undefined,
    private readonly logger: Logger,
    opts: InvestigationsOptions = {},
  ) {
    this.loader = new AccessIndexLoader(repo);
    this.defaults = { ...DEFAULT_SETTINGS, ...opts.settings };
  }

  get settings(): AttributionSettings {
    return this.defaults;
  }

  async get(id: string): Promise<InvestigationT | undefined> {
    const row = await this.repo.get(id);
    // the case is linked after the result was stored (merges move it), so it is read from the row
    return row ? { ...(JSON.parse(row.result) as InvestigationT), caseId: row.case_id ?? null } : undefined;
  }

  async list(limit = 50) {
    return (await this.repo.list(limit)).map((r) => ({
      id: r.id,
      verdict: r.verdict,
      victims: Number(r.victim_count),
      source: r.source,
      createdAt: new Date(Number(r.created_at)).toISOString(),
    }));
  }

  /** A page of the list (filter by verdict or case, sort by time or victims), with the total. */
  async page(q: Parameters<InvestigationsRepository['page']>[0]) {
    const { total, rows } = await this.repo.page(q);
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        verdict: r.verdict,
        victims: Number(r.victim_count),
        source: r.source,
        caseId: r.case_id,
        createdAt: new Date(Number(r.created_at)).toISOString(),
      })),
    };
  }

  /** The investigations run on these case ids (for the case's timeline). */
  async forCases(caseIds: readonly string[]) {
    return (await this.repo.byCases(caseIds)).map((r) => ({
      id: r.id,
      verdict: r.verdict,
      victims: Number(r.victim_count),
      caseId: r.case_id!,
      createdBy: r.created_by,
      createdAt: new Date(Number(r.created_at)).toISOString(),
    }));
  }

  /** Runs and stores an investigation. Returns [investigation, created?]. */
  async create(req: InvestigationRequestT, createdBy: string | null): Promise<[InvestigationT, boolean]> {
    if (req.clientRef) {
      const existing = await this.repo.byClientRef(req.clientRef);
      if (existing) return [JSON.parse(existing.result) as InvestigationT, false];
    }
    const given = [req.victims ? 1 : 0, req.reportIds ? 1 : 0, req.caseId ? 1 : 0].reduce((a, b) => a + b, 0);
    if (given !== 1) throw fail.badRequest('Give exactly one of "victims", "reportIds" or "caseId".');
    let source: 'victims' | 'reports' | 'case';
    let victims: Victim[];
    if (req.victims) {
      source = 'victims';
      victims = req.victims.map((v, i) => {
        const contactAt = Date.parse(v.contactAt);
        if (!Number.isFinite(contactAt)) throw fail.badRequest(`victims[${i}].contactAt is not an ISO 8601 time.`);
        if (!v.customerId && !v.orderId) throw fail.badRequest(`victims[${i}] needs customerId or orderId.`);
        return { customerId: v.customerId, orderId: v.orderId, contactAt, knewFields: v.knewFields };
      });
    } else {
      const vs = this.victimSource();
      if (!vs)
        throw new DomainError('unprocessable', 'This fanzha has no reports service, so reportIds and caseId cannot be resolved; give the victims directly.', {
          type: 'reports-not-available',
          title: 'Reports are not available',
        });
      source = req.reportIds ? 'reports' : 'case';
      victims = req.reportIds ? await vs.victimsForReports(req.reportIds) : await vs.victimsForCase(req.caseId!);
    }
    const settings: AttributionSettings = { ...this.defaults, ...stripUndefined(req.settings ?? {}) };
    const id = newId('inv');
    const t0 = performance.now();
    const result = await this.run(id, victims, settings);
    result.durationMs = Math.round(performance.now() - t0);
    result.caseId = source === 'case' ? req.caseId! : null;
    const request = { source, victims: victims.length, reportIds: req.reportIds, caseId: req.caseId, settings: req.settings };
    const inserted = await this.repo.insert({
      id,
      client_ref: req.clientRef ?? null,
      created_by: createdBy,
      source,
      verdict: result.verdict,
      victim_count: result.victims.used,
      request: JSON.stringify(request),
      result: JSON.stringify(result),
      created_at: Date.now(),
      case_id: result.caseId,
    });
    if (!inserted && req.clientRef) {
      const existing = await this.repo.byClientRef(req.clientRef);
      if (existing) return [JSON.parse(existing.result) as InvestigationT, false];
    }
    this.logger.info({ investigationId: id, verdict: result.verdict, victims: result.victims.used, ms: result.durationMs }, 'investigation completed');
    return [result, true];
  }

  /** Resolves victims to customers, loads what the engine needs and formats its result. */
  async run(id: string, victims: readonly Victim[], settings: AttributionSettings): Promise<InvestigationT> {
    await this.loader.refresh();
    const idx = this.loader.index;
    const owners = await this.repo.customersOfOrders(victims.filter((v) => v.orderId).map((v) => v.orderId!));
    const wanted = victims.map((v) => v.customerId ?? (v.orderId ? owners.get(v.orderId) : undefined)).filter((x): x is string => !!x);
    const known = await this.repo.existingCustomers(wanted);
    const unresolved: { index: number; reason: string }[] = [];
    const engineVictims: EngineVictim[] = [];
    const victimRefs: { customerId: string; orderId?: string; reportId?: string }[] = [];
    victims.forEach((v, i) => {
      const customerId = v.customerId ?? (v.orderId ? owners.get(v.orderId) : undefined);
      if (!customerId) return void unresolved.push({ index: i, reason: 'unknown order' });
      if (!known.has(customerId)) return void unresolved.push({ index: i, reason: 'unknown customer' });
      if (v.orderId && v.customerId && owners.get(v.orderId) && owners.get(v.orderId) !== v.customerId)
        return void unresolved.push({ index: i, reason: 'order belongs to another customer' });
      // the order the report names is the unit of evidence when the caller quoted it (attribution.ts)
      const order = v.orderId && owners.get(v.orderId) === customerId ? idx.orders.intern(v.orderId) : undefined;
      engineVictims.push({
        customer: idx.customers.intern(customerId),
        contactAt: Math.round(v.contactAt),
        knewMask: fieldsToMask(v.knewFields),
        ...(order !== undefined ? { order } : {}),
      });
      victimRefs.push({ customerId, orderId: v.orderId, reportId: v.reportId });
    });
    if (!engineVictims.length)
      throw new DomainError('unprocessable', `None of the ${victims.length} victims names a known customer or order.`, {
        type: 'no-victims',
        title: 'No victim could be resolved',
        extensions: { unresolved },
      });
    const W = settings.windowDays * DAY;
    const from = Math.min(...engineVictims.map((v) => v.contactAt)) - W;
    const to = Math.max(...engineVictims.map((v) => v.contactAt));
    const canaryIds = await this.repo.canaryCustomers();
    const canary = new Set(canaryIds.map((c) => idx.customers.intern(c)));
    const unit = (r: { order_id: string; customer_id: string; at: number }) => ({
      order: idx.orders.intern(r.order_id),
      customer: idx.customers.intern(r.customer_id),
      at: r.at,
    });
    const placed = (await this.repo.ordersPlacedBetween(from, to)).map(unit);
    const refunded = (await this.repo.ordersRefundedBetween(from, to)).map(unit);
    const population = buildPopulation(idx.customers.size, idx.orders.size, placed, refunded, engineVictims, (c) => canary.has(c));
    const roster = await this.repo.principalRoster();
    const groups = groupsOf(roster, (id) => idx.principals.intern(id));
    const assignedSet = new Set(roster.filter((p) => ASSIGNED_KINDS.has(p.kind)).map((p) => idx.principals.intern(p.id)));
    const victimCustomerIds = [...new Set(engineVictims.map((v) => idx.customers.id(v.customer)))];
    // the last event of each victim's order (or customer) before its contact: the self-controlled
    // comparison uses only the quiet part of the unit's life after it
    const events = await this.repo.lifeEvents(victimCustomerIds);
    engineVictims.forEach((v, i) => {
      const ref = victimRefs[i]!;
      const before = ((v.order !== undefined && ref.orderId ? events.byOrder.get(ref.orderId) : events.byCustomer.get(ref.customerId)) ?? []).filter(
        (t) => t < v.contactAt,
      );
      if (before.length) v.lastEventAt = Math.max(...before);
    });
    const loginRows = await this.repo.loginsOf(victimCustomerIds, from - 180 * DAY, to);
    const logins = new Map<number, LoginRecord[]>();
    for (const l of loginRows) {
      const c = idx.customers.intern(l.customer_id);
      let list = logins.get(c);
      if (!list) logins.set(c, (list = []));
      list.push({ at: l.at, ok: l.outcome === 'success', ip: l.ip, device: l.device_id });
    }
    const family = Math.max(idx.principals.size, await this.repo.principalCount());
    const r = attribute(idx, population, engineVictims, {
      settings: { ...settings },
      logins: (c, f, t) => (logins.get(c) ?? []).filter((l) => l.at >= f && l.at < t),
      isCanary: (c) => canary.has(c),
      now: Date.now() + DAY,
      family,
      groups,
      assigned: (p) => assignedSet.has(p),
    });
    const principalIds = [
      ...new Set(
        r.suspects.flatMap((s) => [...(s.principal >= 0 ? [s.principal] : []), ...s.members.map((m) => m.principal)]).map((p) => idx.principals.id(p)),
      ),
    ];
    const meta = await this.repo.principals(principalIds);
    return formatResult(id, r, idx, settings, meta, victims.length, unresolved, victimRefs, engineVictims);
  }
}

/** Principals sharing an org or a team, as groups of interned principals (groups of one are dropped). */
function groupsOf(rows: { id: string; org: string | null; team: string | null }[], intern: (id: string) => number): PrincipalGroup[] {
  const by = new Map<string, PrincipalGroup>();
  for (const r of rows) {
    for (const kind of ['org', 'team'] as const) {
      const name = r[kind];
      if (!name) continue;
      const key = `${kind}\u0000${name}`;
      let g = by.get(key);
      if (!g) by.set(key, (g = { kind, name, members: [] }));
      g.members.push(intern(r.id));
    }
  }
  return [...by.values()].filter((g) => g.members.length >= 2);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const iso = (t: number) => new Date(t).toISOString();
const round = (x: number, d = 4) => Number(x.toFixed(d));

/** "this would need reporters 40× likelier among its customers": the bias as an analyst reads it. */
export function biasPhrase(gamma: number): string {
  if (gamma >= 1e9) return 'no reporting bias could explain it';
  if (gamma <= 1) return 'chance alone explains it';
  return `it would need reporters ${gamma < 10 ? gamma.toFixed(1) : Math.round(gamma)}× likelier among the customers it read`;
}

function formatResult(
  id: string,
  r: AttributionResult,
  idx: AccessIndex,
  settings: AttributionSettings,
  meta: Map<string, { kind: string; name: string; org: string | null; team: string | null }>,
  given: number,
  unresolved: { index: number; reason: string }[],
  refs: { customerId: string; orderId?: string; reportId?: string }[],
  input: EngineVictim[],
): InvestigationT {
  const pid = (p: number) => idx.principals.id(p);
  const refOf = new Map<number, (typeof refs)[number]>();
  input.forEach((v, i) => {
    if (!refOf.has(v.customer)) refOf.set(v.customer, refs[i]!);
  });
  const victimRef = (vi: number) => {
    const v = r.victims[vi]!;
    const ref = refOf.get(v.customer)!;
    return {
      customerId: ref.customerId,
      ...(ref.orderId ? { orderId: ref.orderId } : {}),
      ...(ref.reportId ? { reportId: ref.reportId } : {}),
      contactAt: iso(v.contactAt),
      knewFields: maskToFields(v.knewMask),
    };
  };
  const who = (p: number) => {
    const m = meta.get(pid(p));
    return { principalId: pid(p), ...(m ? { name: m.name, kind: m.kind, ...(m.org ? { org: m.org } : {}), ...(m.team ? { team: m.team } : {}) } : {}) };
  };
  const P = idx.principals.size;
  /** A suspect key as the API names it: a principal, or a group (principalId null, kind org/team). */
  const whoKey = (key: number) => {
    if (key < P) return who(key);
    const g = r.groups[key - P]!;
    return { principalId: null, name: g.name, kind: g.kind, ...(g.kind === 'org' ? { org: g.name } : { team: g.name }) };
  };
  const label = (key: number) => (key < P ? pid(key) : `${r.groups[key - P]!.kind} "${r.groups[key - P]!.name}"`);
  const suspects = r.suspects.map((s) => ({
    ...whoKey(s.key),
    status: s.status,
    round: s.round,
    covered: s.covered,
    tested: s.tested,
    missed: s.missed,
    expectedCoverage: round(s.expected, 3),
    baseRates: s.baseRates.map((b, i) => ({ stratum: r.strataLabels[i]!, rate: round(b, 6) })),
    sampledBaseRates: s.sampled,
    readBurst: s.burst,
    pValue: s.pValue,
    log10PValue: round(s.log10PValue, 3),
    adjustedPValue: s.adjustedP,
    log10AdjustedPValue: round(s.log10AdjustedP, 3),
    selectionBiasToExplain: round(s.selectionBiasToExplain, 2),
    biasGuarded: s.biasGuarded,
    selfControlled: { ...s.selfControlled, log10PValue: round(s.selfControlled.log10PValue, 3), expected: round(s.selfControlled.expected, 3) },
    timed: {
      ...s.timed,
      log10PValue: round(s.timed.log10PValue, 3),
      expected: round(s.timed.expected, 3),
      selectionBiasToExplain: round(s.timed.selectionBiasToExplain, 2),
      log10PValueMatched: round(s.timed.log10PValueMatched, 3),
      log10PValueStratum: s.timed.log10PValueStratum === null ? null : round(s.timed.log10PValueStratum, 3),
    },
    ...(s.key >= P
      ? {
          members: s.members.map((m) => ({
            principalId: pid(m.principal),
            ...(meta.get(pid(m.principal))?.name ? { name: meta.get(pid(m.principal))!.name } : {}),
            covered: m.covered,
          })),
          memberIds: r.groups[s.key - P]!.members.map(pid),
        }
      : {}),
    evidence: s.evidence.map((e) => ({
      victim: victimRef(e.victim),
      reads: e.reads.slice(-MAX_READS_PER_VICTIM).map((a) => ({
        at: iso(a.at),
        fields: maskToFields(a.fields),
        channel: CHANNEL_NAMES[a.channel] ?? 'console',
        ...(a.order >= 0 ? { orderId: idx.orders.id(a.order) } : {}),
        principalId: pid(a.principal),
      })),
    })),
  }));
  const statOf = (key: number) => r.suspects.find((x) => x.key === key && x.status === 'attributed')!;
  const attributedNames = r.attributed.map((key) => {
    const s = statOf(key);
    return `${label(key)} (read ${s.covered} of ${s.tested} victims with the fields the callers knew, ${round(s.expected, 2)} expected by chance; ${s.selfControlled.inHazardWindow} read in the ${settings.hazardDays} days before the call, against ${round(s.selfControlled.expected, 2)} expected from their earlier quiet windows; ${s.timed.inHazardWindow} read in those days against ${round(s.timed.expected, 2)} expected from customers at the same point of their order's life; adjusted p = 10^${round(s.log10AdjustedP, 1)}; ${biasPhrase(s.selectionBiasToExplain)})`;
  });
  const notes: string[] = [];
  let summary: string;
  if (r.verdict === 'attributed') {
    summary = `Attributed to ${attributedNames.join(' and ')}. Check the evidence, then contain the principal and warn the customers at risk.`;
  } else if (r.verdict === 'consistent_with_account_takeover') {
    summary = `No principal explains the victims, and ${r.takeover.victimsWithPattern} of ${r.victims.length} victims' accounts show credential stuffing (failed logins followed by a success from a new device and IP) before the contact: consistent with account takeover, not a leak by a reader.`;
  } else {
    summary = `Inconclusive: no principal's coverage of the victims is significant at α = ${settings.alpha} and robust to a ${settings.minSelectionBias}× reporting bias.`;
  }
  const associated = r.suspects.filter((x) => x.status === 'associated');
  if (associated.length) {
    notes.push(
      `Associated, not attributed: ${associated.map((x) => `${label(x.key)} (${biasPhrase(x.selectionBiasToExplain)})`).join('; ')}. Their coverage is beyond chance, but reporters who are only modestly likelier to be their customers (a scam script aimed at what they sell or handle, a campaign in one region) could produce it, and the timing of their reads does not single them out. A canary customer exposed only to one of them can decide (POST /v1/investigations/${id}/canaries).`,
    );
  }
  if (r.notExcluded.length) {
    notes.push(
      `Not excluded: ${r.notExcluded.map(pid).join(', ')} read (nearly) every victim, but also nearly everyone else, so statistics cannot single them out. A canary customer exposed only to one of them, or a fingerprinted export (per-recipient canary rows or substitute phone numbers), can decide: POST /v1/investigations/${id}/canaries plants a set for each, GET /v1/investigations/${id}/decision tells which one they confirm.`,
    );
  }
  if (r.alphaSpent.sampling > 0)
    notes.push(
      `Some base rates were estimated from samples: ${r.alphaSpent.sampling} of α = ${settings.alpha} covers the chance that a sample underestimated one (exact upper confidence bounds), ${round(r.alphaSpent.tests, 8)} went to the tests.`,
    );
  if (r.bursty.length)
    notes.push(
      `Read bursts before any report: ${r.bursty.map(pid).join(', ')} read far more in some hour of the window than in any hour of the two weeks before. They share ${round(r.alphaSpent.bursts, 8)} of α and are tested at that larger level; the other principals and groups share the rest. A burst is not evidence on its own: it only decides where α is spent.`,
    );
  if (r.canaryVictims)
    notes.push(
      `${r.canaryVictims} victims are canary customers: each names the single scope it was exposed to (see the canary's trip alerts) and is not counted here.`,
    );
  if (unresolved.length) notes.push(`${unresolved.length} victims could not be resolved to a known customer and were left out.`);
  if (r.unexplained.length && r.attributed.length) notes.push(`${r.unexplained.length} victims are not explained by the attributed suspects.`);
  if (r.victims.length < settings.minCovered) notes.push(`Fewer than ${settings.minCovered} victims: no principal can be attributed on so little evidence.`);
  const byStratum = r.populationSizes.map((n, i) => ({ stratum: r.strataLabels[i]!, size: n, victims: r.victimStrata.filter((x) => x === i + 1).length }));
  const round1 = (key: number) => r.suspects.find((x) => x.key === key && x.round === 1) ?? r.suspects.find((x) => x.key === key)!;
  return {
    id,
    createdAt: iso(Date.now()),
    verdict: r.verdict,
    summary,
    settings: {
      alpha: settings.alpha,
      windowDays: settings.windowDays,
      minCovered: settings.minCovered,
      maxRounds: settings.maxRounds,
      notExcludedCoverage: settings.notExcludedCoverage,
      minSelectionBias: settings.minSelectionBias,
      minSelectionBiasAssigned: settings.minSelectionBiasAssigned,
      minSelectionBiasTimed: settings.minSelectionBiasTimed,
      hazardDays: settings.hazardDays,
      burstAlphaShare: settings.burstAlphaShare,
    },
    victims: { given, used: r.victims.length, orderLevel: r.orderLevelVictims, canaries: r.canaryVictims, unresolved },
    population: byStratum,
    familySize: r.family,
    alphaSpent: { alpha: settings.alpha, tests: r.alphaSpent.tests, baseRateSampling: r.alphaSpent.sampling, readBursts: r.alphaSpent.bursts },
    readBursts: r.bursty.map(who),
    rounds: r.rounds.map((x) => ({
      round: x.round,
      alpha: x.alpha,
      alphaReadBurst: x.alphaBurst,
      family: x.family,
      victims: x.victims,
      attributed: x.attributed === null ? null : suspectLabel(r, x.attributed, idx),
    })),
    suspects,
    notExcluded: [
      ...r.notExcluded.map((p) => ({ p, reason: 'reads_nearly_all' as const })),
      ...r.associated.map((p) => ({ p, reason: 'associated' as const })),
    ].map(({ p, reason }) => {
      const s = round1(p);
      return {
        ...who(p),
        reason,
        covered: s.covered,
        tested: s.tested,
        expectedCoverage: round(s.expected, 3),
        selectionBiasToExplain: round(s.selectionBiasToExplain, 2),
        decideWith: ['canary', 'export fingerprint'],
      };
    }),
    accountTakeover: {
      victimsWithPattern: r.takeover.victimsWithPattern,
      share: round(r.takeover.share, 3),
      customerIds: r.takeover.victims.map((vi) => victimRef(vi).customerId),
    },
    atRisk: r.atRisk.map((a) => ({
      ...whoKey(a.key),
      since: iso(a.from),
      count: a.customers.length,
      customerIds: a.customers.slice(0, MAX_AT_RISK_IDS).map((c) => idx.customers.id(c)),
      truncated: a.customers.length > MAX_AT_RISK_IDS,
    })),
    unexplainedVictims: r.unexplained.length,
    notes,
    durationMs: 0,
  };
}

/** A suspect key in round records: the principal id, or `org:<name>` / `team:<name>`. */
function suspectLabel(r: AttributionResult, key: number, idx: AccessIndex): string {
  return suspectId(r, key, idx.principals);
}
