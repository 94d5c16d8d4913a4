// HTTP endpoints of fingerprinted exports and substitute lookups.
import { Type } from '@sinclair/typebox';
import { fileResponse } from '../http/problem-responses.ts';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import type { ExportInfo, SubstituteCall } from './exports.service.ts';
import {
  CreateExportBody,
  CreateExportReply,
  ExportListQuery,
  ExportOut,
  SubstituteCallAlert,
  SubstituteCallBody,
  SubstituteCallOut,
  SubstituteOut,
} from './canaries.schemas.ts';
// The shop's phone line (or its virtual-number provider's webhook) reports calls with the canary trips' roles.
import { parseTime, REPORT } from './canaries.routes.ts';

const exportOut = (e: ExportInfo) => ({ ...e, at: new Date(e.at).toISOString() });
const READ = { auth: { roles: ['analyst', 'admin'] as const } };
// The shop backend generates exports; the file it gets back holds the data it sends the partner.
const GENERATE = { auth: { roles: ['ingest', 'admin'] as const } };
const callOut = (c: SubstituteCall) => ({ ...c, at: new Date(c.at).toISOString(), receivedAt: new Date(c.receivedAt).toISOString() });

export async function exportsRoutes(app: App, ctx: AppContext) {
  const svc = () => ctx.services.exports;
  const tags = ['exports'];

  app.post(
    '/v1/exports',
    {
      bodyLimit: 16 * 1024 * 1024,
      config: { ...GENERATE, problems: [409] }, // an id reused with other content, too few substitutes
      schema: {
        tags,
        summary: 'Generate a fingerprinted partner export',
        description:
          'Records who received which records (as an export.created event), plants per-recipient canary rows and, when asked, replaces phone numbers with per-recipient substitutes (random tokens or rented virtual numbers). Idempotent on exportId.',
        body: CreateExportBody,
        response: { 200: CreateExportReply, 201: CreateExportReply },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await svc().create({ ...b, at: parseTime(b.at, 'at') }, req.caller);
      reply.code(r.duplicate ? 200 : 201);
      return { export: exportOut(r.export), duplicate: r.duplicate, file: r.file };
    },
  );

  app.get(
    '/v1/exports',
    {
      config: READ,
      schema: { tags, summary: 'List fingerprinted exports', querystring: ExportListQuery, response: { 200: Type.Object({ items: Type.Array(ExportOut) }) } },
    },
    async (req) => ({ items: (await svc().list(req.query)).map(exportOut) }),
  );

  app.post(
    '/v1/exports/substitutes/calls',
    {
      config: REPORT,
      schema: {
        tags,
        summary: 'Report a call that reached a substitute (virtual number or token): names the one recipient it was given to',
        body: SubstituteCallBody,
        response: { 200: SubstituteCallAlert, 201: SubstituteCallAlert },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const a = await svc().recordSubstituteCall({ value: b.value, callId: b.callId, channel: b.channel ?? 'call', at: parseTime(b.at, 'at'), from: b.from });
      reply.code(a.duplicate ? 200 : 201);
      return { ...a, call: callOut(a.call) };
    },
  );

  app.get(
    '/v1/exports/substitutes/calls',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Calls that reached substitutes, newest first',
        querystring: Type.Object({
          recipientId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(SubstituteCallOut) }) },
      },
    },
    async (req) => ({
      items: (await svc().substituteCalls({ principalIds: req.query.recipientId ? [req.query.recipientId] : undefined, limit: req.query.limit ?? 100 })).map(
        callOut,
      ),
    }),
  );

  app.get(
    '/v1/exports/substitutes/:value',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Which recipient a substitute phone value (token or virtual number) was given to',
        params: Type.Object({ value: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 200: SubstituteOut },
      },
    },
    async (req) => {
      const items = await svc().lookupSubstitutes([req.params.value]);
      if (!items.length) throw problems.notFound('substitute');
      const out = [];
      for (const i of items) {
        const files = (await svc().filesOf(i.recipientId)).filter((f) => f.phone === i.kind).map((f) => f.id);
        out.push({ ...i, exports: files });
      }
      return { items: out };
    },
  );

  app.get(
    '/v1/exports/:id',
    { config: READ, schema: { tags, summary: 'Get an export', params: Type.Object({ id: Type.String() }), response: { 200: ExportOut } } },
    async (req) => {
      const e = await svc().get(req.params.id);
      if (!e) throw problems.notFound('export');
      return exportOut(e);
    },
  );

  app.get(
    '/v1/exports/:id/file',
    {
      config: GENERATE,
      schema: {
        tags,
        summary: 'Download the export file again (identical rows and substitutes)',
        description: "Recorded as one access per record in the caller's name. A key bound to a principal gets only that principal's exports.",
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
        response: { 200: fileResponse('The export file, in the format it was created with', ['text/csv', 'application/json']) },
      },
    },
    async (req, reply) => {
      const f = await svc().file(req.params.id, req.caller!);
      if (!f) throw problems.notFound('export');
      reply.type(f.contentType);
      return f.content;
    },
  );
}
