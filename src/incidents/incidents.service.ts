// Leak incidents: open one from an investigation, a canary trip, a leak match or by hand; compute
// and edit its scope from the access log; contain the principal(s); notify every affected
// customer once through the outbox; close. Every transition is recorded with who and when.
import type { Logger } from 'pino';
import type { Caller } from '../http/roles.ts';
import type { AreaServices } from '../app/context.ts';
import { newId } from '../lib/ids.ts';
import { fieldsToMask, maskToFields, ACCESS_FIELDS } from '../lib/fields.ts';
import { IncidentsRepository } from './incidents.repository.ts';
import type { IncidentsTable } from './incidents.tables.ts';
import { computeScope, scopeCounts, scopeRows } from './scope.ts';
import type { Containment, CreateIncidentInput, Incident, IncidentEvent, NoticeProgress, ScopeEdit } from './incidents.types.ts';
import { regulatorReport, postMortem, type ReportEvidence } from './report.ts';
import { sendContainmentWebhook, type IncidentsWebhookConfig } from './webhook.ts';
import { DEFAULT_SHOP_TIME_ZONE } from '../shop/shop.config.ts';
import { DomainError, type ErrorCategory, type ProblemShape } from '../lib/errors.ts';

const DAY = 86_400_000;
const NOTIFY_CHUNK = 200;

export type IncidentErrorCode = 'not-found' | 'invalid' | 'conflict' | 'unavailable';
/** How each failure reads in the API (src/http/error-handler.ts maps the category to a status). */
const INCIDENT_PROBLEMS: Record<IncidentErrorCode, { category: ErrorCategory; problem(message: string): ProblemShape }> = {
  'not-found': { category: 'not-found', problem: (m) => ({ detail: `No such ${m}.` }) },
  conflict: { category: 'conflict', problem: () => ({}) },
  unavailable: { category: 'unavailable', problem: () => ({ title: 'Unavailable' }) },
  invalid: { category: 'unprocessable', problem: () => ({ type: 'invalid-incident', title: 'Invalid incident request' }) },
};
export class IncidentError extends DomainError {
  override name = 'IncidentError';
  constructor(
    readonly code: IncidentErrorCode,
    message: string,
  ) {
    super(INCIDENT_PROBLEMS[code].category, message, INCIDENT_PROBLEMS[code].problem(message));
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The fields a caller named; an unknown one makes the request invalid. */
function requestedFields(fields: readonly string[]): number {
  try {
    return fieldsToMask(fields);
  } catch (e) {
    throw e instanceof RangeError ? new IncidentError('invalid', e.message) : e;
  }
}

function toIncident(r: IncidentsTable): Incident {
  return {
    id: r.id,
    title: r.title,
    state: r.state,
    source: r.source,
    sourceRef: r.source_ref,
    principalIds: JSON.parse(r.principal_ids),
    fields: maskToFields(Number(r.fields)),
    from: iso(Number(r.from_at)),
    to: iso(Number(r.to_at)),
    affected: Number(r.affected),
    counts: JSON.parse(r.counts),
    containment: r.containment ? JSON.parse(r.containment) : null,
    createdAt: iso(Number(r.created_at)),
    updatedAt: iso(Number(r.updated_at)),
  };
}

function parseTime(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (!Number.isFinite(t)) throw new IncidentError('invalid', `"${name}" is not an ISO 8601 time`);
  return t;
}

export interface IncidentsOptions {
  webhook?: IncidentsWebhookConfig;
  /** Who people and the regulator contact about the incident (shown in the reports). */
  contact?: string;
  shopName?: string | Record<string, string>;
  /** Look-back for a canary trip or leak match without an explicit `from` (default 90 days). */
  lookbackDays?: number;
  /** The shop's time zone for the reports (areas.shop.timeZone; default Asia/Shanghai). */
  timeZone?: string;
  now?: () => number;
}

export class IncidentsService {
  private readonly now: () => number;
  private readonly running = new Map<string, Promise<NoticeProgress>>();
  constructor(
    readonly repo: IncidentsRepository,
    private readonly services: AreaServices,
    private readonly logger: Logger,
    private readonly opts: IncidentsOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  /** The vault consults this before every reveal (frozen principals cannot reveal). */
  isFrozen(principalId: string): Promise<boolean> {
    return this.repo.isFrozen(principalId);
  }

  async get(id: string): Promise<Incident | undefined> {
    const r = await this.repo.get(id);
    return r && toIncident(r);
  }

  async list(limit = 50): Promise<Incident[]> {
    return (await this.repo.list(limit)).map(toIncident);
  }

  /** A page of the list (filter by state or source, sort by time or size), with the total. */
  async page(q: Parameters<IncidentsRepository['page']>[0]): Promise<{ total: number; items: Incident[] }> {
    const { total, rows } = await this.repo.page(q);
    return { total, items: rows.map(toIncident) };
  }

  /** Incidents opened from these investigations (a case's timeline shows them). */
  async fromInvestigations(ids: readonly string[]): Promise<Incident[]> {
    return (await this.repo.fromInvestigations(ids)).map(toIncident);
  }

  /** The transitions, with the name of the key that made each (keys are never deleted, only revoked). */
  async events(id: string): Promise<IncidentEvent[]> {
    const rows = await this.repo.events(id);
    const names = new Map<string, string>();
    for (const k of new Set(rows.flatMap((e) => (e.by_key ? [e.by_key] : [])))) {
      const info = await this.services.apiKeys.get(k);
      if (info) names.set(k, info.name);
    }
    return rows.map((e) => ({
      kind: e.kind,
      fromState: e.from_state,
      toState: e.to_state,
      reason: e.reason,
      detail: e.detail ? JSON.parse(e.detail) : null,
      byKey: e.by_key,
      byName: (e.by_key && names.get(e.by_key)) ?? null,
      byPrincipal: e.by_principal,
      at: iso(Number(e.at)),
    }));
  }

  /** Affected customer ids of the current scope (ids only), in pages. */
  async customerIds(id: string, opts: { afterId?: string; limit?: number } = {}): Promise<string[]> {
    return (await this.repo.customers(id, { afterId: opts.afterId, limit: Math.min(opts.limit ?? 1000, 10_000) })).map((c) => c.customer_id);
  }

  private async resolve(
    input: CreateIncidentInput,
  ): Promise<{ source: string; sourceRef: string | null; principalIds: string[]; fields: number; from: number; to: number; title: string }> {
    const now = this.now();
    const lookback = (this.opts.lookbackDays ?? 90) * DAY;
    const given = {
      principalIds: input.principalIds,
      fields: input.fields ? requestedFields(input.fields) : undefined,
      from: parseTime('from', input.from),
      to: parseTime('to', input.to),
    };
    const allFields = fieldsToMask(ACCESS_FIELDS);
    const sources = [input.investigationId, input.canaryTripId, input.leakMatch].filter((x) => x !== undefined).length;
    if (sources > 1) throw new IncidentError('invalid', 'give one of investigationId, canaryTripId or leakMatch');
    if (input.investigationId) {
      const inv = await this.services.investigations.get(input.investigationId);
      if (!inv) throw new IncidentError('not-found', 'investigation');
      const attributed = inv.suspects.filter((s) => s.status === 'attributed');
      if (!attributed.length && !given.principalIds)
        throw new IncidentError(
          'conflict',
          `the investigation's verdict is "${inv.verdict}": no principal is attributed (give principalIds to open it anyway)`,
        );
      // a group (an org or team, principalId null) is contained as all its members
      const principalIds = given.principalIds ?? [...new Set(attributed.flatMap((s) => (s.principalId ? [s.principalId] : (s.memberIds ?? []))))];
      let fields = 0;
      let firstRead = Infinity;
      for (const s of attributed)
        for (const e of s.evidence) {
          fields |= fieldsToMask(e.victim.knewFields);
          for (const r of e.reads) firstRead = Math.min(firstRead, Date.parse(r.at));
        }
      const since = inv.atRisk.filter((a) => (a.principalId ? principalIds.includes(a.principalId) : !given.principalIds)).map((a) => Date.parse(a.since));
      const from = given.from ?? Math.min(firstRead, ...since);
      return {
        source: 'investigation',
        sourceRef: inv.id,
        principalIds,
        fields: given.fields ?? (fields || allFields),
        from: Number.isFinite(from) ? from : now - lookback,
        to: given.to ?? now,
        title: input.title ?? (await this.attributedTitle(given.principalIds ? principalIds : null, attributed, inv.id)),
      };
    }
    if (input.canaryTripId || input.leakMatch) {
      let scope: { kind: string; id: string };
      let at: number;
      let ref: string;
      let what: string;
      if (input.canaryTripId) {
        const trip = (await this.services.canaries.trips({ limit: 1000 })).find((t) => t.id === input.canaryTripId);
        if (!trip) throw new IncidentError('not-found', 'canary trip');
        scope = trip.scope;
        at = trip.at;
        ref = trip.id;
        what = 'canary';
      } else {
        scope = input.leakMatch!.scope;
        at = parseTime('leakMatch.at', input.leakMatch!.at) ?? now;
        ref = `${scope.kind}:${scope.id}`;
        what = 'match';
      }
      const principalIds = given.principalIds ?? (await this.scopePrincipals(scope));
      if (!principalIds?.length) throw new IncidentError('invalid', `the ${scope.kind} scope ${scope.id} names no principal: give principalIds`);
      return {
        source: input.canaryTripId ? 'canary_trip' : 'leak_match',
        sourceRef: ref,
        principalIds,
        fields: given.fields ?? allFields,
        from: given.from ?? at - lookback,
        to: given.to ?? Math.max(at, now),
        title: input.title ?? (await this.scopeTitle(what as 'canary' | 'match', ref, scope, principalIds)),
      };
    }
    if (input.group) {
      if (given.principalIds) throw new IncidentError('invalid', 'give principalIds or a group, not both');
      given.principalIds = await this.services.shop.principalsInGroup(input.group.kind, input.group.id);
      if (!given.principalIds.length) throw new IncidentError('invalid', `the ${input.group.kind} ${input.group.id} has no principals`);
    }
    if (!input.title || !given.principalIds?.length || !given.fields || given.from === undefined || given.to === undefined) {
      throw new IncidentError(
        'invalid',
        'by hand, give title, principalIds (or a group), fields, from and to (or an investigationId, canaryTripId or leakMatch)',
      );
    }
    return { source: 'manual', sourceRef: null, principalIds: given.principalIds, fields: given.fields, from: given.from, to: given.to, title: input.title };
  }

  /** "泄露：归因于 王芳 (agent-7) / Leak attributed to 王芳 (agent-7) (investigation inv_…)". */
  private async attributedTitle(
    principalIds: string[] | null,
    attributed: { principalId: string | null; kind?: string; name?: string }[],
    invId: string,
  ): Promise<string> {
    const names = await this.displayNames(principalIds ?? attributed.flatMap((s) => (s.principalId ? [s.principalId] : [])));
    const who = principalIds ? principalIds.map(names) : attributed.map((s) => (s.principalId ? names(s.principalId) : suspectName(s)));
    return `泄露：归因于 ${who.join('、')}（调查 ${invId}） / Leak attributed to ${who.join(', ')} (investigation ${invId})`;
  }

  /** A canary trip's or leak match's title, naming the scope and the principals behind it by name. */
  private async scopeTitle(what: 'canary' | 'match', ref: string, scope: { kind: string; id: string }, principalIds: string[]): Promise<string> {
    const names = await this.displayNames(principalIds);
    const who = principalIds.map(names);
    const kindZh: Record<string, string> = { principal: '账号', api_client: 'API 客户端', export: '导出', team: '团队', org: '机构' };
    const scopeZh = `${kindZh[scope.kind] ?? scope.kind} ${scope.kind === 'principal' || scope.kind === 'api_client' ? who.join('、') : scope.id}`;
    const scopeEn = `${scope.kind.replace('_', ' ')} ${scope.kind === 'principal' || scope.kind === 'api_client' ? who.join(', ') : scope.id}`;
    const via = scope.kind === 'principal' || scope.kind === 'api_client' ? '' : ` (${who.join(', ')})`;
    return what === 'canary'
      ? `泄露：${scopeZh}${via} 的诱饵记录被联系（${ref}） / Leak: a canary of ${scopeEn}${via} was contacted (${ref})`
      : `泄露：泄露文件与${scopeZh}${via} 相符 / Leak: a leaked file matched ${scopeEn}${via}`;
  }

  /**
   * The principals a canary or leak-match scope stands for: itself (a principal or API client),
   * the export's recipient (the shop's record of who received it), or every member of a team.
   */
  private async scopePrincipals(scope: { kind: string; id: string }): Promise<string[] | undefined> {
    if (scope.kind === 'principal' || scope.kind === 'api_client') return [scope.id];
    if (scope.kind === 'export') {
      const r = await this.services.shop.exportRecipient(scope.id);
      return r ? [r.principalId] : undefined;
    }
    if (scope.kind === 'team' || scope.kind === 'org') return this.services.shop.principalsInGroup(scope.kind, scope.id);
    return undefined;
  }

  /** Opens an incident; the same clientRef (or the same source) returns the one already open. */
  async create(input: CreateIncidentInput, caller: Caller | null): Promise<[Incident, boolean]> {
    const r = await this.resolve(input);
    if (r.from > r.to) throw new IncidentError('invalid', '"from" is after "to"');
    const clientRef = input.clientRef ?? (r.sourceRef ? `${r.source}:${r.sourceRef}` : null);
    if (clientRef) {
      const existing = await this.repo.byClientRef(clientRef);
      if (existing) return [toIncident(existing), false];
    }
    const affected = await computeScope(this.services.audit.reads, r);
    const now = this.now();
    const id = newId('inc');
    const row: IncidentsTable = {
      id,
      client_ref: clientRef,
      title: r.title.slice(0, 300),
      state: 'open',
      source: r.source,
      source_ref: r.sourceRef,
      principal_ids: JSON.stringify(r.principalIds),
      fields: r.fields,
      from_at: r.from,
      to_at: r.to,
      counts: JSON.stringify(scopeCounts(affected)),
      affected: affected.length,
      containment: null,
      created_by: caller?.keyId ?? null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.repo.transaction(async (repo) => {
        await repo.insert(row);
        await repo.replaceCustomers(id, scopeRows(id, affected));
        await this.record(repo, id, caller, {
          kind: 'opened',
          toState: 'open',
          detail: { source: r.source, sourceRef: r.sourceRef, affected: affected.length },
        });
      });
    } catch (e) {
      // a concurrent create with the same reference won
      const existing = clientRef ? await this.repo.byClientRef(clientRef) : undefined;
      if (existing) return [toIncident(existing), false];
      throw e;
    }
    this.logger.info({ incidentId: id, source: r.source, affected: affected.length }, 'incident opened');
    return [toIncident(row), true];
  }

  private async record(
    repo: IncidentsRepository,
    id: string,
    caller: Caller | null,
    e: { kind: string; fromState?: string; toState?: string; reason?: string; detail?: object },
  ) {
    await repo.addEvent({
      id: newId('iev'),
      incident_id: id,
      kind: e.kind,
      from_state: e.fromState ?? null,
      to_state: e.toState ?? null,
      reason: e.reason ?? null,
      detail: e.detail ? JSON.stringify(e.detail) : null,
      by_key: caller?.keyId ?? null,
      by_principal: caller?.principalId ?? null,
      at: this.now(),
    });
  }

  private async must(id: string): Promise<IncidentsTable> {
    const r = await this.repo.get(id);
    if (!r) throw new IncidentError('not-found', 'incident');
    return r;
  }

  /** Changes the principals, fields or window; the scope is recomputed and the reason recorded. */
  async editScope(id: string, edit: ScopeEdit, caller: Caller | null): Promise<Incident> {
    const r = await this.must(id);
    if (r.state === 'closed') throw new IncidentError('conflict', 'the incident is closed');
    if (!edit.reason?.trim()) throw new IncidentError('invalid', '"reason" is required');
    const q = {
      principalIds: edit.principalIds ?? (JSON.parse(r.principal_ids) as string[]),
      fields: edit.fields ? requestedFields(edit.fields) : Number(r.fields),
      from: parseTime('from', edit.from) ?? Number(r.from_at),
      to: parseTime('to', edit.to) ?? Number(r.to_at),
    };
    if (q.from > q.to) throw new IncidentError('invalid', '"from" is after "to"');
    if (!q.principalIds.length || !q.fields) throw new IncidentError('invalid', 'the scope needs at least one principal and one field');
    const affected = await computeScope(this.services.audit.reads, q);
    const now = this.now();
    await this.repo.transaction(async (repo) => {
      await repo.update(id, {
        principal_ids: JSON.stringify(q.principalIds),
        fields: q.fields,
        from_at: q.from,
        to_at: q.to,
        counts: JSON.stringify(scopeCounts(affected)),
        affected: affected.length,
        updated_at: now,
      });
      await repo.replaceCustomers(id, scopeRows(id, affected));
      await this.record(repo, id, caller, {
        kind: 'scope_edited',
        reason: edit.reason.slice(0, 500),
        detail: {
          before: {
            principalIds: JSON.parse(r.principal_ids),
            fields: maskToFields(Number(r.fields)),
            from: iso(Number(r.from_at)),
            to: iso(Number(r.to_at)),
            affected: Number(r.affected),
          },
          after: { principalIds: q.principalIds, fields: maskToFields(q.fields), from: iso(q.from), to: iso(q.to), affected: affected.length },
        },
      });
    });
    return toIncident((await this.repo.get(id))!);
  }

  /** Revokes the principals' fanzha keys, freezes their reveals and tells the shop (signed webhook). */
  async contain(id: string, caller: Caller | null): Promise<Incident> {
    const r = await this.must(id);
    if (r.state !== 'open') {
      if (r.containment) return toIncident(r); // already contained: a re-run changes nothing
      throw new IncidentError('conflict', `the incident is ${r.state}`);
    }
    const principals = JSON.parse(r.principal_ids) as string[];
    const now = this.now();
    let keysRevoked = 0;
    for (const p of principals) {
      keysRevoked += await this.services.apiKeys.revokePrincipal(p);
      await this.repo.freeze(p, id, now);
    }
    const webhook = await sendContainmentWebhook(this.opts.webhook, {
      type: 'incident.containment',
      incidentId: id,
      actions: principals.map((p) => ({ principalId: p, disablePrincipal: true, rotateApiClientKeys: true })),
      at: iso(now),
    });
    if (webhook.status === 'failed')
      this.logger.warn({ incidentId: id, httpStatus: webhook.httpStatus, error: webhook.error }, 'incident containment webhook failed');
    const containment: Containment = { keysRevoked, frozenPrincipals: principals, webhook };
    await this.repo.transaction(async (repo) => {
      await repo.update(id, { state: 'contained', containment: JSON.stringify(containment), updated_at: this.now() });
      await this.record(repo, id, caller, { kind: 'contained', fromState: 'open', toState: 'contained', detail: containment });
    });
    return toIncident((await this.repo.get(id))!);
  }

  /**
   * Enqueues one notice per affected customer (idempotency key per incident and customer, so a
   * re-run never notifies anyone twice), in chunks that yield to the event loop between them.
   */
  notify(id: string, caller: Caller | null): Promise<NoticeProgress> {
    const running = this.running.get(id);
    if (running) return running;
    const p = this.runNotify(id, caller).finally(() => this.running.delete(id));
    this.running.set(id, p);
    return p;
  }

  /** Starts notify without waiting; errors are logged. */
  async startNotify(id: string, caller: Caller | null): Promise<NoticeProgress> {
    const r = await this.must(id);
    this.checkNotifiable(r);
    this.notify(id, caller).catch((e) => this.logger.error({ err: e, incidentId: id }, 'incident notification failed'));
    return this.progress(id);
  }

  private checkNotifiable(r: IncidentsTable) {
    if (r.state === 'open') throw new IncidentError('conflict', 'contain the incident before notifying');
    if (r.state === 'closed') throw new IncidentError('conflict', 'the incident is closed');
  }

  private async runNotify(id: string, caller: Caller | null): Promise<NoticeProgress> {
    const r = await this.must(id);
    this.checkNotifiable(r);
    const notifier = this.services.notifier;
    if (!notifier) throw new IncidentError('unavailable', 'notifications are not set up');
    const fields = maskToFields(Number(r.fields)).join(',');
    let after: string | undefined;
    let enqueued = 0;
    for (;;) {
      const chunk = await this.repo.customers(id, { afterId: after, limit: NOTIFY_CHUNK });
      if (!chunk.length) break;
      after = chunk.at(-1)!.customer_id;
      const todo = chunk.filter((c) => !c.notice_id);
      if (todo.length) {
        const reqs = todo.map((c) => ({
          customerId: c.customer_id,
          template: 'incident.notice' as const,
          vars: { fields: maskToFields(Number(c.fields)).join(',') || fields },
          idempotencyKey: `incident:${id}:${c.customer_id}`,
          urgent: true,
        }));
        // the notices and their ids on our rows commit together: one short transaction per chunk
        await this.repo.transaction(async (repo, trx) => {
          const o = { source: 'incidents', db: trx };
          const res = notifier.sendMany ? await notifier.sendMany(reqs, o) : await Promise.all(reqs.map((q) => notifier.send(q, o)));
          await repo.setNoticeIds(
            id,
            todo.map((c, i) => ({ customerId: c.customer_id, noticeId: res[i]!.noticeId })),
          );
        });
        enqueued += todo.length;
      }
      // let requests (ingestion) run between chunks
      await new Promise((res) => setImmediate(res));
    }
    const now = await this.must(id);
    if (now.state === 'contained') {
      await this.repo.transaction(async (repo) => {
        await repo.update(id, { state: 'notified', updated_at: this.now() });
        await this.record(repo, id, caller, {
          kind: 'notified',
          fromState: 'contained',
          toState: 'notified',
          detail: { enqueued, affected: Number(now.affected) },
        });
      });
    } else if (enqueued) {
      await this.record(this.repo, id, caller, { kind: 'notified_again', detail: { enqueued } });
    }
    return this.progress(id, false);
  }

  async progress(id: string, running = this.running.has(id)): Promise<NoticeProgress> {
    const r = await this.must(id);
    const counts = (await this.services.notifier?.statusCounts?.(`incident:${id}:`)) ?? {};
    const retry = (await this.services.notifier?.retryCounts?.(`incident:${id}:`)) ?? { retrying: 0, retries: 0 };
    const c = (k: string) => counts[k] ?? 0;
    return {
      affected: Number(r.affected),
      enqueued: await this.repo.noticeCount(id),
      queued: c('pending') + c('sending'),
      sent: c('sent'),
      delivered: c('delivered'),
      failed: c('failed') + c('dead'),
      suppressed: c('suppressed'),
      unreachable: c('unreachable'),
      ...retry,
      running,
    };
  }

  async close(id: string, reason: string | undefined, caller: Caller | null): Promise<Incident> {
    const r = await this.must(id);
    if (r.state === 'closed') return toIncident(r);
    if (r.state !== 'notified' && !(r.state === 'contained' && Number(r.affected) === 0))
      throw new IncidentError('conflict', `an incident is closed once notified (it is ${r.state})`);
    await this.repo.transaction(async (repo) => {
      await repo.update(id, { state: 'closed', updated_at: this.now() });
      await this.record(repo, id, caller, { kind: 'closed', fromState: r.state, toState: 'closed', reason: reason?.slice(0, 500) });
    });
    return toIncident((await this.repo.get(id))!);
  }

  /** What the reports cite: the investigation and the signed checkpoint covering the evidence. */
  async evidence(id: string): Promise<ReportEvidence> {
    const r = await this.must(id);
    const ev: ReportEvidence = { checkpoint: null };
    if (r.source === 'investigation' && r.source_ref) {
      const inv = await this.services.investigations.get(r.source_ref);
      if (inv) {
        const contacts = inv.suspects.flatMap((s) => s.evidence.map((e) => e.victim.contactAt)).sort();
        ev.investigation = {
          id: inv.id,
          createdAt: inv.createdAt,
          verdict: inv.verdict,
          summary: inv.summary,
          firstReportAt: contacts[0] ?? null,
          victims: inv.victims.used,
          suspects: inv.suspects.map((s) => ({
            principalId: s.principalId,
            name: s.name,
            ...(s.principalId ? {} : { group: `${s.kind}:${s.name}`, memberIds: s.memberIds ?? [] }),
            status: s.status,
            covered: s.covered,
            tested: s.tested,
            expectedCoverage: s.expectedCoverage,
            adjustedPValue: s.adjustedPValue,
            log10PValue: s.log10PValue,
            log10AdjustedPValue: s.log10AdjustedPValue,
            selectionBiasToExplain: s.selectionBiasToExplain,
          })),
        };
      }
    }
    const audit = this.services.audit;
    const maxPos = await this.repo.maxPos(id);
    // the smallest stored checkpoint whose tree includes the last read; sign the head if none does yet.
    // A sharded log's positions are per shard, so a total size says nothing about one read: there
    // the current heads are signed (they cover every committed read, the scope's included).
    const need = (maxPos ?? -1) + 1;
    let cp = audit.config.shards > 1 ? undefined : (await audit.listCheckpoints({ afterSize: need - 1, limit: 1 }))[0];
    if (!cp) {
      const head = await audit.checkpoint();
      if (head.size >= need) cp = head;
    }
    if (cp) ev.checkpoint = { size: cp.size, hash: cp.hash, note: cp.note, createdAt: iso(cp.createdAt), coversPosition: maxPos };
    return ev;
  }

  async report(id: string, kind: 'regulator' | 'postmortem'): Promise<string> {
    const inc = toIncident(await this.must(id));
    const [events, progress, ev] = [await this.events(id), await this.progress(id), await this.evidence(id)];
    const ctx = {
      shopName: bilingualName(this.opts.shopName) ?? 'fanzha',
      contact: this.opts.contact ?? '(set areas.incidents.contact)',
      generatedAt: iso(this.now()),
      timeZone: this.opts.timeZone ?? DEFAULT_SHOP_TIME_ZONE,
    };
    const names = await this.displayNames([...inc.principalIds, ...(ev.investigation?.suspects.flatMap((s) => (s.principalId ? [s.principalId] : [])) ?? [])]);
    return kind === 'regulator' ? regulatorReport(inc, events, progress, ev, ctx, names) : postMortem(inc, events, progress, ev, ctx, names);
  }

  /** Principals as people read them: "王芳 (agent-7)", the id alone when the shop gave no name. */
  private async displayNames(ids: readonly string[]): Promise<(id: string) => string> {
    const known = ids.length ? await this.services.shop.principals([...new Set(ids)]) : new Map<string, { name: string | null }>();
    return (id) => {
      const n = known.get(id)?.name;
      return n && n !== id ? `${n} (${id})` : id;
    };
  }
}

/** The reports are bilingual: a per-language shop name reads "示例商城 / Example Shop". */
function bilingualName(n: string | Record<string, string> | undefined): string | undefined {
  if (n === undefined || typeof n === 'string') return n;
  return [...new Set([n['zh-CN'], n.en, ...Object.values(n)].filter((x): x is string => !!x))].join(' / ') || undefined;
}

/** A suspect as a title names it: the principal, or the group (`org:<name>` / `team:<name>`). */
function suspectName(s: { principalId: string | null; kind?: string; name?: string }): string {
  return s.principalId ?? `${s.kind}:${s.name}`;
}
