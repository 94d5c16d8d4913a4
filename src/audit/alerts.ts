// Access alerts: each principal is compared with its own history (baseline), not with a global
// threshold, because a warehouse system legitimately reads thousands of orders an hour while a
// customer-service agent reads dozens. Rules, evaluated per principal per hour window:
//  - volume-spike: reads in the window ≥ max(minReads, factor × the principal's mean hourly
//    reads over the baseline days before the window (hours with no reads count as zero));
//  - off-hours-bulk: ≥ minReads reads in an off-hours window while the principal's baseline
//    share of off-hours reads is below maxBaselineShare;
//  - refund-then-read: ≥ minOrders distinct orders read within `withinMinutes` after the order's
//    refund request (the moment a fake "refund agent" call is worth the most);
//  - sequential-enumeration: a run of ≥ minRun consecutive numeric ids (same prefix) read;
//  - reveal-without-ticket and reveal-quota-exceeded are raised by the vault when they happen.
// Findings are stored once per (rule, principal, window) and listed in the API.
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { shopRelations } from '../shop/shop.relations.ts';
import { newId } from '../lib/ids.ts';
import './audit.tables.ts';

export interface AlertRules {
  volumeSpike: { factor: number; minReads: number; baselineDays: number };
  offHours: { startHour: number; endHour: number; utcOffsetMinutes: number; minReads: number; maxBaselineShare: number };
  refundThenRead: { withinMinutes: number; minOrders: number };
  sequential: { minRun: number };
}

export const DEFAULT_ALERT_RULES: AlertRules = {
  volumeSpike: { factor: 5, minReads: 30, baselineDays: 14 },
  offHours: { startHour: 22, endHour: 7, utcOffsetMinutes: 480, minReads: 20, maxBaselineShare: 0.1 },
  refundThenRead: { withinMinutes: 60, minOrders: 5 },
  sequential: { minRun: 10 },
};

export function alertRules(areas: Record<string, unknown>): AlertRules {
  const c = ((areas.audit ?? {}) as { alerts?: Partial<AlertRules> }).alerts ?? {};
  return {
    volumeSpike: { ...DEFAULT_ALERT_RULES.volumeSpike, ...c.volumeSpike },
    offHours: { ...DEFAULT_ALERT_RULES.offHours, ...c.offHours },
    refundThenRead: { ...DEFAULT_ALERT_RULES.refundThenRead, ...c.refundThenRead },
    sequential: { ...DEFAULT_ALERT_RULES.sequential, ...c.sequential },
  };
}

export interface Alert {
  id: string;
  rule: string;
  principalId: string;
  severity: 'low' | 'medium' | 'high';
  detail: Record<string, unknown>;
  windowStart: number;
  windowEnd: number;
  createdAt: number;
}

const HOUR = 3_600_000;

/** Longest run of consecutive numbers among ids sharing a non-numeric prefix. */
export function longestSequentialRun(ids: readonly string[]): number {
  const groups = new Map<string, Set<number>>();
  for (const id of ids) {
    const m = /^(.*?)(\d+)$/.exec(id);
    if (!m || m[2]!.length > 15) continue;
    const key = `${m[1]}#${m[2]!.length}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = new Set()));
    g.add(Number(m[2]));
  }
  let best = 0;
  for (const g of groups.values()) {
    for (const n of g) {
      if (g.has(n - 1)) continue;
      let len = 1;
      while (g.has(n + len)) len++;
      best = Math.max(best, len);
    }
  }
  return best;
}

export function isOffHours(at: number, r: AlertRules['offHours']): boolean {
  const h = new Date(at + r.utcOffsetMinutes * 60_000).getUTCHours();
  return r.startHour > r.endHour ? h >= r.startHour || h < r.endHour : h >= r.startHour && h < r.endHour;
}

/**
 * fanzha's own principals (system:notify decrypting recipients, system:canaries…): their reads are
 * recorded in the access log like anyone's, but they are the product working, not staff, so the
 * baseline rules do not score them.
 */
export const isSystemPrincipal = (id: string) => id.startsWith('system:');

export type AlertListener = (a: Alert) => void;

export class AlertService {
  private readonly listeners: AlertListener[] = [];
  constructor(
    private readonly database: Database,
    readonly rules: AlertRules,
  ) {}

  /** Called once for each new alert (the node whose insert stored it), e.g. to push it on-call. */
  onRaised(l: AlertListener) {
    this.listeners.push(l);
  }

  /** Stores an alert once per dedup key; returns whether it was new. */
  async raise(a: Omit<Alert, 'id' | 'createdAt'>): Promise<boolean> {
    const id = newId('alr');
    const createdAt = Date.now();
    const res = await this.database.db
      .insertInto('audit_alerts')
      .values({
        id,
        rule: a.rule,
        principal_id: a.principalId,
        severity: a.severity,
        detail: JSON.stringify(a.detail),
        dedup_key: `${a.rule}:${a.principalId}:${a.windowStart}`,
        window_start: a.windowStart,
        window_end: a.windowEnd,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.column('dedup_key').doNothing())
      .executeTakeFirst();
    const fresh = Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    if (fresh) for (const l of this.listeners) l({ ...a, id, createdAt });
    return fresh;
  }

  /** Evaluates every principal active in each hour window of [from, to). Returns the number of new alerts. */
  async scan(from: number, to: number): Promise<number> {
    let created = 0;
    for (let w = Math.floor(from / HOUR) * HOUR; w < to; w += HOUR) {
      const active = await this.database.db
        .selectFrom('access_log')
        .select('principal_id')
        .distinct()
        .where('at', '>=', w)
        .where('at', '<', w + HOUR)
        .execute();
      for (const { principal_id } of active) if (!isSystemPrincipal(principal_id)) created += await this.evaluate(principal_id, w);
    }
    return created;
  }

  /** Runs the baseline rules for one principal and one hour window. */
  async evaluate(principalId: string, windowStart: number): Promise<number> {
    const db = this.database.db;
    const w0 = windowStart;
    const w1 = windowStart + HOUR;
    const r = this.rules;
    let created = 0;
    const raise = async (rule: string, severity: Alert['severity'], detail: Record<string, unknown>) => {
      if (await this.raise({ rule, principalId, severity, detail, windowStart: w0, windowEnd: w1 })) created++;
    };
    const rows = await db
      .selectFrom('access_log')
      .select(['customer_id', 'order_id', 'at'])
      .where('principal_id', '=', principalId)
      .where('at', '>=', w0)
      .where('at', '<', w1)
      .execute();
    const reads = rows.length;
    if (reads === 0) return 0;

    // Baseline: the principal's own reads over the preceding days.
    const b0 = w0 - r.volumeSpike.baselineDays * 24 * HOUR;
    const base = await db
      .selectFrom('access_log')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('first')])
      .where('principal_id', '=', principalId)
      .where('at', '>=', b0)
      .where('at', '<', w0)
      .executeTakeFirstOrThrow();
    const baseReads = Number(base.n);
    const hours = r.volumeSpike.baselineDays * 24;
    const meanPerHour = baseReads / hours;
    const spikeAt = Math.max(r.volumeSpike.minReads, r.volumeSpike.factor * meanPerHour);
    if (reads >= spikeAt)
      await raise('volume-spike', reads >= 2 * spikeAt ? 'high' : 'medium', {
        reads,
        baselineMeanPerHour: Math.round(meanPerHour * 100) / 100,
        threshold: Math.ceil(spikeAt),
      });

    if (isOffHours(w0, r.offHours) && reads >= r.offHours.minReads) {
      const baseTimes = await db
        .selectFrom('access_log')
        .select('at')
        .where('principal_id', '=', principalId)
        .where('at', '>=', b0)
        .where('at', '<', w0)
        .execute();
      const off = baseTimes.filter((x) => isOffHours(Number(x.at), r.offHours)).length;
      const share = baseTimes.length ? off / baseTimes.length : 0;
      if (share < r.offHours.maxBaselineShare) await raise('off-hours-bulk', 'high', { reads, baselineOffHoursShare: Math.round(share * 1000) / 1000 });
    }

    const within = r.refundThenRead.withinMinutes * 60_000;
    const afterRefund = await db
      .selectFrom('access_log as a')
      .innerJoin(shopRelations.refundRequests(db).as('f'), 'f.order_id', 'a.order_id')
      .select(sql<number>`count(distinct a.order_id)`.as('n'))
      .where('a.principal_id', '=', principalId)
      .where('a.at', '>=', w0)
      .where('a.at', '<', w1)
      .where(sql<boolean>`a.at >= f.requested_at AND a.at <= f.requested_at + ${within}`)
      .executeTakeFirstOrThrow();
    const ordersAfterRefund = Number(afterRefund.n);
    if (ordersAfterRefund >= r.refundThenRead.minOrders)
      await raise('refund-then-read', 'high', { orders: ordersAfterRefund, withinMinutes: r.refundThenRead.withinMinutes });

    const ids = [...new Set(rows.flatMap((x) => [x.order_id, x.customer_id]).filter((x): x is string => !!x))];
    const run = longestSequentialRun(ids);
    if (run >= r.sequential.minRun) await raise('sequential-enumeration', 'high', { longestRun: run });
    return created;
  }

  async list(q: { principalId?: string; rule?: string; before?: string; limit: number }): Promise<{ items: Alert[]; nextBefore: string | null }> {
    let s = this.database.db.selectFrom('audit_alerts').selectAll();
    if (q.principalId) s = s.where('principal_id', '=', q.principalId);
    if (q.rule) s = s.where('rule', '=', q.rule);
    if (q.before) s = s.where('id', '<', q.before);
    const rows = await s
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map((a) => ({
      id: a.id,
      rule: a.rule,
      principalId: a.principal_id,
      severity: a.severity as Alert['severity'],
      detail: JSON.parse(a.detail) as Record<string, unknown>,
      windowStart: Number(a.window_start),
      windowEnd: Number(a.window_end),
      createdAt: Number(a.created_at),
    }));
    return { items, nextBefore: rows.length > q.limit ? items[items.length - 1]!.id : null };
  }
}
