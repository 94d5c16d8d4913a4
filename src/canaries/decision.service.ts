// The deciding step as a service: for a stored investigation, plant one set of canary customers
// per not-excluded principal (POST /v1/investigations/:id/canaries), then decide from their trips
// and from calls to their substitutes (GET /v1/investigations/:id/decision). Planning and deciding
// are the pure functions of decision.engine.ts; this file finds the investigation, the watched
// contacts, the trips and the calls.
import type { Logger } from 'pino';
import { fail } from '../lib/errors.ts';
import type { InvestigationT } from '../investigations/investigations.schemas.ts';
import type { Canary, CanariesService, MonitoredContact } from './canaries.service.ts';
import type { LeakMatchService } from './leak-match.service.ts';
import {
  decide,
  notExcludedOfInvestigation,
  planDecision,
  type Decision,
  type DecisionPlan,
  type DecisionSettings,
  type MatchInput,
  type PlantedCanary,
} from './decision.engine.ts';

export interface PlantInput {
  /** Watched contacts for the canaries; the configured pool's unused ones when absent. */
  contacts?: MonitoredContact[];
  maxCanaries?: number;
  observationDays?: number;
  at?: number;
}

export interface PlantedSet {
  principalId: string;
  scope: DecisionPlan['principals'][number]['scope'];
  delivery: 'export' | 'inject';
  planned: number;
  created: number;
  /** Chance that none of the created canaries is contacted if this principal leaks. */
  missProbability: number;
  canaries: Canary[];
  events: Record<string, unknown>[];
}

/** One request id per investigation and principal: planting again returns the same canaries. */
export const decisionRequestId = (investigationId: string, principalId: string) => `decide:${investigationId}:${principalId}`;

export class DecisionService {
  constructor(
    private readonly investigation: (id: string) => Promise<InvestigationT | undefined>,
    private readonly canaries: CanariesService,
    private readonly pool: () => MonitoredContact[],
    private readonly leakMatch: LeakMatchService,
    /** Calls that reached substitutes given to these principals (fingerprinted exports). */
    private readonly substituteCalls: (principalIds: readonly string[]) => Promise<{ id: string; recipientId: string; at: number }[]>,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  private async load(id: string): Promise<InvestigationT> {
    const inv = await this.investigation(id);
    if (!inv) throw fail.notFound('investigation');
    if (!inv.notExcluded.length) throw fail.conflict('This investigation left no principal "not excluded": there is nothing for canaries to decide.');
    return inv;
  }

  async plant(
    investigationId: string,
    input: PlantInput,
    settings: Partial<DecisionSettings> = {},
  ): Promise<{ plan: DecisionPlan; sets: PlantedSet[]; duplicate: boolean }> {
    const inv = await this.load(investigationId);
    const plan = planDecision(notExcludedOfInvestigation(inv), {
      ...settings,
      ...(input.maxCanaries ? { maxCanaries: input.maxCanaries } : {}),
      ...(input.observationDays ? { observationDays: input.observationDays } : {}),
    });
    const existing = await Promise.all(plan.principals.map((p) => this.canaries.byRequest(decisionRequestId(investigationId, p.principalId))));
    // Contacts are shared out in turn, so a short pool still gives every principal its canaries.
    const missing = plan.principals.filter((_, i) => !existing[i]!.length);
    const pool = missing.length ? (input.contacts ?? (await this.canaries.unusedContacts(this.pool()))) : [];
    if (missing.length && pool.length < missing.length) {
      throw fail.conflict(
        `${missing.length} principals need canaries but only ${pool.length} watched contacts are available; pass "contacts" or add unused ones to areas.canaries.monitoredContacts.`,
      );
    }
    const share = new Map(missing.map((p) => [p.principalId, [] as MonitoredContact[]]));
    for (let i = 0; i < pool.length;) {
      let took = false;
      for (const p of missing) {
        const list = share.get(p.principalId)!;
        if (list.length < p.canaries && i < pool.length) {
          list.push(pool[i++]!);
          took = true;
        }
      }
      if (!took) break;
    }
    const sets: PlantedSet[] = [];
    for (const [i, p] of plan.principals.entries()) {
      let canaries = existing[i]!;
      let events: Record<string, unknown>[];
      if (canaries.length) events = await this.canaries.events(canaries);
      else {
        const r = await this.canaries.create({
          requestId: decisionRequestId(investigationId, p.principalId),
          scope: p.scope,
          contacts: share.get(p.principalId)!,
          at: input.at,
        });
        canaries = r.canaries;
        events = r.events;
      }
      sets.push({
        principalId: p.principalId,
        scope: p.scope,
        delivery: p.delivery,
        planned: p.canaries,
        created: canaries.length,
        missProbability: p.contactRate > 0 ? Math.pow(1 - p.contactRate, canaries.length) : 1,
        canaries,
        events,
      });
    }
    // ids and counts only: the contacts are watched numbers
    this.logger.info({ investigationId, sets: sets.map((s) => ({ principalId: s.principalId, created: s.created })) }, 'decision canaries planted');
    return { plan, sets, duplicate: missing.length === 0 };
  }

  /** The decision now, from the trips so far and, when given, a leaked file (matched like POST /v1/leaks/match). */
  async decision(investigationId: string, opts: { observationDays?: number; leakedFile?: string } = {}): Promise<Decision & { plan: DecisionPlan }> {
    const inv = await this.load(investigationId);
    const plan = planDecision(notExcludedOfInvestigation(inv), opts.observationDays ? { observationDays: opts.observationDays } : {});
    const planted: PlantedCanary[] = [];
    for (const p of plan.principals) {
      for (const c of await this.canaries.byRequest(decisionRequestId(investigationId, p.principalId)))
        planted.push({ canaryId: c.id, principalId: p.principalId, plantedAt: c.createdAt });
    }
    // every trip of a canary exposed only to one of them counts, planted for this decision or not
    const trips = [...(await this.canaries.tripsForPrincipals(plan.principals.map((p) => p.principalId))).entries()].flatMap(([principalId, ts]) =>
      ts.map((t) => ({ canaryId: t.canaryId, at: t.at, tripId: t.id, principalId })),
    );
    const calls = (await this.substituteCalls(plan.principals.map((p) => p.principalId))).map((c) => ({ callId: c.id, principalId: c.recipientId, at: c.at }));
    const now = this.now();
    const matches: MatchInput[] = opts.leakedFile ? [{ at: now, candidates: (await this.leakMatch.match(opts.leakedFile, { limit: 200 })).candidates }] : [];
    // the time a trip is reported may lag the call; a trip recorded now counts now
    return {
      ...decide({
        plan,
        planted,
        trips: trips.map((t) => ({ ...t, at: Math.min(t.at, now) })),
        substituteCalls: calls.map((c) => ({ ...c, at: Math.min(c.at, now) })),
        matches,
        now,
      }),
      plan,
    };
  }
}
