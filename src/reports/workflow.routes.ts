// The case workflow over HTTP: triage list with saved filters, change one case or many, notes,
// and the case's timeline. Analysts and admins only: agents (and every other role) cannot read
// or change cases.
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import type { Caller } from '../http/roles.ts';
import { problems } from '../http/problem.ts';
import { CaseWorkflow as WorkflowStore } from './workflow.store.ts';
import { SavedFilters } from './workflow.filters.ts';
import { listCases } from './case-list.ts';
import { caseTimeline } from './workflow.timeline.ts';
import type { Actor, AssigneeRef } from './workflow.model.ts';
import {
  BulkChange,
  BulkResult,
  CaseList,
  CaseListQuery,
  CaseNote,
  CaseTimeline,
  CaseWorkflow,
  NoteInput,
  SavedFilter,
  SavedFilterInput,
  WorkflowPatch,
} from './workflow.schemas.ts';

const ANALYSTS = { roles: ['analyst', 'admin'] } as const;
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

const actorOf = (c: Caller | undefined): Actor => ({ keyId: c?.keyId ?? null, keyName: c?.keyName ?? null, principalId: c?.principalId ?? null });

export async function workflowRoutes(app: App, ctx: AppContext) {
  const svc = ctx.services.reports;
  const assigneeExists = async (a: AssigneeRef) => {
    if ('principalId' in a) return (await ctx.services.shop.principal(a.principalId)) !== undefined;
    return (await ctx.services.apiKeys.list()).some((k) => k.name === a.keyName && !k.revokedAt && (k.role === 'analyst' || k.role === 'admin'));
  };
  const wf = new WorkflowStore(ctx.database.db, assigneeExists);
  const filters = new SavedFilters(ctx.database.db);

  /** Adds the assignee's display name (principals by name; keys are named already). */
  async function named<T extends { assignee: AssigneeRef | null }>(items: T[]): Promise<(T & { assigneeName: string | null })[]> {
    const ids = items.flatMap((i) => (i.assignee && 'principalId' in i.assignee ? [i.assignee.principalId] : []));
    const names = ids.length ? await ctx.services.shop.principals(ids) : new Map<string, { name: string }>();
    return items.map((i) => ({
      ...i,
      assigneeName: !i.assignee ? null : 'keyName' in i.assignee ? i.assignee.keyName : (names.get(i.assignee.principalId)?.name ?? null),
    }));
  }

  app.get(
    '/v1/cases',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: 'Cases for triage: filter, sort, paginate (a saved filter applies first; explicit parameters override it)',
        querystring: CaseListQuery,
        response: { 200: CaseList },
      },
    },
    async (req) => {
      const { filter, limit, offset, ...explicit } = req.query;
      const saved = filter ? await filters.get(req.caller!.keyId, filter) : {};
      if (!saved) throw problems.notFound('saved filter');
      const defined = Object.fromEntries(Object.entries(explicit).filter(([, v]) => v !== undefined));
      const page = await listCases(
        ctx.database.db,
        { ...saved, ...defined, limit, offset },
        { keyName: req.caller!.keyName, principalId: req.caller!.principalId },
        (keys) => svc.riskOf(keys),
      );
      return { ...page, items: await named(page.items) };
    },
  );

  app.get(
    '/v1/case-filters',
    {
      config: { auth: ANALYSTS },
      schema: { tags: ['cases'], summary: "Saved case filters: the built-in ones and the caller's own", response: { 200: Type.Array(SavedFilter) } },
    },
    async (req) => filters.list(req.caller!.keyId),
  );
  app.post(
    '/v1/case-filters',
    {
      config: { auth: ANALYSTS },
      schema: { tags: ['cases'], summary: 'Save a cases-list filter under a name', body: SavedFilterInput, response: { 201: SavedFilter } },
    },
    async (req, reply) => {
      reply.code(201);
      return filters.save(req.caller!.keyId, req.body.name, req.body.query);
    },
  );
  app.delete(
    '/v1/case-filters/:id',
    { config: { auth: ANALYSTS }, schema: { tags: ['cases'], params: IdParam, response: { 204: Type.Null() } } },
    async (req, reply) => {
      if (!(await filters.remove(req.caller!.keyId, req.params.id))) throw problems.notFound('saved filter');
      reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/cases/:id/workflow',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: "A case's status, resolution, priority, due date, assignee and tags",
        params: IdParam,
        response: { 200: CaseWorkflow },
      },
    },
    async (req) => {
      const w = await wf.get(req.params.id);
      if (!w) throw problems.notFound('case');
      return (await named([w]))[0]!;
    },
  );

  app.patch(
    '/v1/cases/:id/workflow',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary:
          'Change a case: status (resolving needs a resolution), priority, due date, assignee, tags, with an optional note; every change goes to its history',
        params: IdParam,
        body: WorkflowPatch,
        response: { 200: CaseWorkflow },
      },
    },
    async (req) => (await named([await wf.update(req.params.id, req.body, actorOf(req.caller))]))[0]!,
  );

  app.post(
    '/v1/cases/bulk',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: 'Assign, prioritise or resolve many cases at once (each succeeds or fails alone)',
        body: BulkChange,
        response: { 200: BulkResult },
      },
    },
    async (req) => {
      const { ids, ...patch } = req.body;
      return wf.bulk(ids, patch, actorOf(req.caller));
    },
  );

  app.post(
    '/v1/cases/:id/notes',
    {
      config: { auth: ANALYSTS },
      schema: { tags: ['cases'], summary: 'Add a note to a case (author and time recorded)', params: IdParam, body: NoteInput, response: { 201: CaseNote } },
    },
    async (req, reply) => {
      reply.code(201);
      return wf.addNote(req.params.id, req.body.body, actorOf(req.caller));
    },
  );

  app.get(
    '/v1/cases/:id/timeline',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: "A case's history: workflow changes, notes, merges, splits, investigations and their incidents",
        params: IdParam,
        response: { 200: CaseTimeline },
      },
    },
    async (req) => {
      const root = await svc.resolveCase(req.params.id);
      if (!root) throw problems.notFound('case');
      return caseTimeline(ctx, wf, root);
    },
  );
}
