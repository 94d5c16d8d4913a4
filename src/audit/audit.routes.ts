import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { AccessEntry, AccessQuery, Alert, Checkpoint, VerifyResponse } from './audit.schemas.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const readers = { auth: { roles: ['analyst', 'admin'] as const } };

function parseTime(s: string | undefined, name: string): number | undefined {
  if (s === undefined) return undefined;
  const t = Date.parse(s);
  if (Number.isNaN(t)) throw problems.badRequest(`"${name}" is not a valid ISO 8601 time`);
  return t;
}

export async function auditRoutes(app: App, ctx: AppContext) {
  const audit = ctx.services.audit;
  const alerts = ctx.services.alerts;

  app.get(
    '/v1/audit/verify',
    {
      // A full verification reads the whole log: a few per minute is plenty.
      config: { ...readers, rateLimit: { max: 6, timeWindow: '1 minute' } },
      schema: { tags: ['audit'], summary: 'Verify the access log against its head and every signed checkpoint', response: { 200: VerifyResponse } },
    },
    async () => audit.verify(),
  );

  app.get(
    '/v1/audit/entries',
    {
      config: readers,
      schema: {
        tags: ['audit'],
        summary: 'Query the access log (newest first)',
        querystring: AccessQuery,
        response: { 200: Type.Object({ items: Type.Array(AccessEntry), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const r = await audit.query({
        principalId: q.principalId,
        customerId: q.customerId,
        orderId: q.orderId,
        field: q.field,
        from: parseTime(q.from, 'from'),
        to: parseTime(q.to, 'to'),
        before: q.cursor !== undefined ? Number(q.cursor) : undefined,
        limit: q.limit ?? 100,
      });
      return {
        items: r.items.map((e) => ({ ...e, at: iso(e.at), recordedAt: iso(e.recordedAt) })),
        nextCursor: r.nextBefore === null ? null : String(r.nextBefore),
      };
    },
  );

  app.get(
    '/v1/audit/checkpoints',
    {
      config: readers,
      schema: {
        tags: ['audit'],
        summary: 'Signed checkpoints (C2SP signed notes)',
        response: { 200: Type.Object({ verifierKey: Type.String(), items: Type.Array(Checkpoint) }) },
      },
    },
    async () => ({ verifierKey: audit.signer.verifierKey(), items: (await audit.listCheckpoints()).map((c) => ({ ...c, createdAt: iso(c.createdAt) })) }),
  );

  app.post(
    '/v1/audit/checkpoints',
    {
      config: { auth: { roles: ['admin'] as const } },
      schema: { tags: ['audit'], summary: 'Sign a checkpoint of the current log now', response: { 201: Checkpoint } },
    },
    async (_req, reply) => {
      const c = await audit.checkpoint();
      reply.code(201);
      return { ...c, createdAt: iso(c.createdAt) };
    },
  );

  app.get(
    '/v1/audit/alerts',
    {
      config: readers,
      schema: {
        tags: ['audit'],
        summary: 'Access alerts (newest first)',
        querystring: Type.Object({
          principalId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          rule: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          cursor: Type.Optional(Type.String({ maxLength: 64 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(Alert), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
      },
    },
    async (req) => {
      const r = await alerts.list({ principalId: req.query.principalId, rule: req.query.rule, before: req.query.cursor, limit: req.query.limit ?? 100 });
      return {
        items: r.items.map((a) => ({ ...a, windowStart: iso(a.windowStart), windowEnd: iso(a.windowEnd), createdAt: iso(a.createdAt) })),
        nextCursor: r.nextBefore,
      };
    },
  );
}
