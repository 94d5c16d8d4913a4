// The case workflow's store: status/resolution, priority, due date, assignee, tags and notes of a
// case, each change written with its history entry in one transaction. Merged cases keep their
// own history rows; the timeline of a case reads its id and every id merged into it.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { fail, DomainError } from '../lib/errors.ts';
import { newId } from '../lib/ids.ts';
import {
  assigneeString,
  parseAssignee,
  reopenOnReport,
  type Actor,
  type AssigneeRef,
  type CasePriority,
  type CaseResolution,
  type CaseStatus,
  type HistoryKind,
} from './workflow.model.ts';

export interface WorkflowPatch {
  status?: CaseStatus;
  resolution?: CaseResolution;
  priority?: CasePriority;
  /** ISO 8601 time, or null to clear. */
  dueAt?: string | null;
  assignee?: AssigneeRef | null;
  tags?: string[];
  /** A note added with the change (say, why the case was resolved). */
  note?: string;
}

export interface CaseWorkflowView {
  status: CaseStatus;
  resolution: CaseResolution | null;
  priority: CasePriority;
  dueAt: string | null;
  assignee: AssigneeRef | null;
  tags: string[];
}

type Row = Pick<DB['cases'], 'id'> & {
  status: string;
  resolution: string | null;
  priority: string;
  due_at: number | null;
  assignee: string | null;
  tags: string;
  merged_into: string | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export function viewOf(r: Omit<Row, 'id' | 'merged_into'>): CaseWorkflowView {
  return {
    status: r.status as CaseStatus,
    resolution: (r.resolution as CaseResolution | null) ?? null,
    priority: r.priority as CasePriority,
    dueAt: iso(r.due_at === null ? null : Number(r.due_at)),
    assignee: parseAssignee(r.assignee),
    tags: JSON.parse(r.tags) as string[],
  };
}

const resolutionRequired = () =>
  new DomainError(
    'invalid',
    'Resolving a case needs a resolution (confirmed_scam, false_positive, duplicate, insufficient_information or referred_to_police).',
    { type: 'resolution-required', title: 'A resolution is required' },
  );

/** Checks an assignee exists (an active analyst or admin key's name, or a known principal). */
export type AssigneeCheck = (a: AssigneeRef) => Promise<boolean>;

export class CaseWorkflow {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly assigneeExists: AssigneeCheck,
  ) {}

  private row(db: Kysely<DB>, id: string) {
    return db
      .selectFrom('cases')
      .select(['id', 'status', 'resolution', 'priority', 'due_at', 'assignee', 'tags', 'merged_into'])
      .where('id', '=', id)
      .executeTakeFirst() as Promise<Row | undefined>;
  }

  /** The case's current id and workflow, or undefined (a merged id answers for its root). */
  async get(id: string): Promise<(CaseWorkflowView & { id: string }) | undefined> {
    let r = await this.row(this.db, id);
    if (r?.merged_into) r = await this.row(this.db, r.merged_into);
    return r && { id: r.id, ...viewOf(r) };
  }

  /** Applies a change; returns the new workflow. Throws not-found, invalid (with the reason). */
  async update(id: string, patch: WorkflowPatch, actor: Actor, now = Date.now()): Promise<CaseWorkflowView & { id: string }> {
    const due = patch.dueAt === undefined ? undefined : patch.dueAt === null ? null : Date.parse(patch.dueAt);
    if (typeof due === 'number' && !Number.isFinite(due))
      throw fail.validation('The body failed validation: /dueAt is not an ISO 8601 time', [{ path: '/dueAt', message: 'is not an ISO 8601 time' }]);
    if (patch.assignee && !(await this.assigneeExists(patch.assignee))) {
      throw fail.validation('The body failed validation: /assignee names no active analyst key or known principal', [
        { path: '/assignee', message: 'names no active analyst key or known principal' },
      ]);
    }
    return this.db.transaction().execute(async (trx) => {
      let r = await this.row(trx, id);
      if (r?.merged_into) r = await this.row(trx, r.merged_into);
      if (!r) throw fail.notFound('case');
      const set: { status?: string; resolution?: string | null; priority?: string; due_at?: number | null; assignee?: string | null; tags?: string } = {};
      const history: { kind: HistoryKind; from: string | null; to: string | null; detail?: unknown }[] = [];

      const status = patch.status ?? (r.status as CaseStatus);
      if (status === 'resolved') {
        const resolution = patch.resolution ?? (patch.status === 'resolved' ? undefined : ((r.resolution as CaseResolution | null) ?? undefined));
        if (!resolution) throw resolutionRequired();
        if (r.status !== 'resolved' || r.resolution !== resolution) {
          set.status = 'resolved';
          set.resolution = resolution;
          history.push({ kind: 'status', from: r.status, to: 'resolved', detail: { resolution, previousResolution: r.resolution } });
        }
      } else {
        if (patch.resolution !== undefined) throw fail.badRequest('A resolution is given only when the case is resolved (status "resolved").');
        if (status !== r.status) {
          set.status = status;
          set.resolution = null;
          history.push({ kind: 'status', from: r.status, to: status, detail: r.resolution ? { previousResolution: r.resolution } : undefined });
        }
      }
      if (patch.priority !== undefined && patch.priority !== r.priority) {
        set.priority = patch.priority;
        history.push({ kind: 'priority', from: r.priority, to: patch.priority });
      }
      if (due !== undefined && due !== (r.due_at === null ? null : Number(r.due_at))) {
        set.due_at = due;
        history.push({ kind: 'due', from: iso(r.due_at), to: iso(due) });
      }
      if (patch.assignee !== undefined) {
        const a = patch.assignee ? assigneeString(patch.assignee) : null;
        if (a !== r.assignee) {
          set.assignee = a;
          history.push({ kind: 'assignee', from: r.assignee, to: a });
        }
      }
      if (patch.tags !== undefined) {
        const tags = JSON.stringify([...new Set(patch.tags.map((t) => t.trim()).filter(Boolean))].sort());
        if (tags !== r.tags) {
          set.tags = tags;
          history.push({ kind: 'tags', from: r.tags, to: tags });
        }
      }
      if (Object.keys(set).length)
        await trx
          .updateTable('cases')
          .set({ ...set, updated_at: now })
          .where('id', '=', r.id)
          .execute();
      for (const h of history) await addHistory(trx, r.id, h.kind, h.from, h.to, h.detail, actor, now);
      if (patch.note !== undefined) await this.insertNote(trx, r.id, patch.note, actor, now);
      return { id: r.id, ...viewOf((await this.row(trx, r.id))!) };
    });
  }

  async addNote(id: string, body: string, actor: Actor, now = Date.now()) {
    return this.db.transaction().execute(async (trx) => {
      let r = await this.row(trx, id);
      if (r?.merged_into) r = await this.row(trx, r.merged_into);
      if (!r) throw fail.notFound('case');
      return this.insertNote(trx, r.id, body, actor, now);
    });
  }

  private async insertNote(trx: Transaction<DB>, caseId: string, body: string, actor: Actor, now: number) {
    const text = body.trim();
    if (!text) throw fail.validation('The body failed validation: /note is empty', [{ path: '/note', message: 'is empty' }]);
    const note = { id: newId('note'), case_id: caseId, body: text, by_key: actor.keyId, by_name: actor.keyName, by_principal: actor.principalId, at: now };
    await trx.insertInto('case_notes').values(note).execute();
    await addHistory(trx, caseId, 'note', null, note.id, undefined, actor, now);
    return { id: note.id, caseId, body: text, author: { keyName: actor.keyName, principalId: actor.principalId }, at: iso(now)! };
  }

  /** The same change on many cases; each succeeds or fails alone (a missing resolution fails them all up front). */
  async bulk(ids: string[], patch: WorkflowPatch, actor: Actor) {
    if (patch.status === 'resolved' && !patch.resolution) throw resolutionRequired();
    const updated: string[] = [];
    const failed: { id: string; reason: string }[] = [];
    for (const id of [...new Set(ids)]) {
      try {
        updated.push((await this.update(id, patch, actor)).id);
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        failed.push({ id, reason: e.category === 'not-found' ? 'not-found' : e.message });
      }
    }
    return { updated: [...new Set(updated)], failed };
  }

  /** Ids whose history belongs to this case: the case and those merged into it. */
  async family(root: string): Promise<string[]> {
    const merged = await this.db.selectFrom('cases').select('id').where('merged_into', '=', root).execute();
    return [root, ...merged.map((m) => m.id)];
  }

  async history(ids: string[]) {
    const [rows, notes] = await Promise.all([
      this.db.selectFrom('case_history').selectAll().where('case_id', 'in', ids).orderBy('at').orderBy('id').execute(),
      this.db.selectFrom('case_notes').selectAll().where('case_id', 'in', ids).execute(),
    ]);
    const byId = new Map(notes.map((n) => [n.id, n]));
    return rows.map((h) => ({
      id: Number(h.id),
      caseId: h.case_id,
      kind: h.kind as HistoryKind,
      from: h.from_value,
      to: h.to_value,
      detail: h.detail ? (JSON.parse(h.detail) as Record<string, unknown>) : null,
      note: h.kind === 'note' && h.to_value ? (byId.get(h.to_value)?.body ?? null) : null,
      by: h.by_key || h.by_principal ? { keyName: h.by_name, principalId: h.by_principal } : null,
      at: iso(Number(h.at))!,
    }));
  }

  async notes(ids: string[]) {
    const rows = await this.db.selectFrom('case_notes').selectAll().where('case_id', 'in', ids).orderBy('at').orderBy('id').execute();
    return rows.map((n) => ({
      id: n.id,
      caseId: n.case_id,
      body: n.body,
      author: { keyName: n.by_name, principalId: n.by_principal },
      at: iso(Number(n.at))!,
    }));
  }
}

async function addHistory(
  trx: Transaction<DB> | Kysely<DB>,
  caseId: string,
  kind: HistoryKind,
  from: string | null,
  to: string | null,
  detail: unknown,
  actor: Actor | null,
  now: number,
) {
  await trx
    .insertInto('case_history')
    .values({
      case_id: caseId,
      kind,
      from_value: from,
      to_value: to,
      detail: detail === undefined ? null : JSON.stringify(detail),
      by_key: actor?.keyId ?? null,
      by_name: actor?.keyName ?? null,
      by_principal: actor?.principalId ?? null,
      at: now,
    })
    .execute();
}

/**
 * Inside a report's insert transaction: a report landing on a resolved case reopens it, or the
 * history records the report and why the case stayed resolved (see reopenOnReport).
 */
export async function reportArrived(trx: Transaction<DB>, caseId: string, reportId: string, now: number): Promise<'reopened' | 'kept-resolved' | null> {
  const c = await trx.selectFrom('cases').select(['status', 'resolution']).where('id', '=', caseId).executeTakeFirst();
  if (!c || c.status !== 'resolved') return null;
  const rule = reopenOnReport(c.resolution);
  if (rule.reopen) {
    await trx.updateTable('cases').set({ status: 'open', resolution: null }).where('id', '=', caseId).execute();
    await addHistory(trx, caseId, 'reopened', 'resolved', 'open', { reportId, previousResolution: c.resolution }, null, now);
    return 'reopened';
  }
  await addHistory(trx, caseId, 'kept-resolved', 'resolved', 'resolved', { reportId, reason: rule.reason }, null, now);
  return 'kept-resolved';
}
