// HTTP endpoints of the deciding step: canaries for an investigation's not-excluded principals,
// and the decision from their trips.
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { parseTime } from './canaries.routes.ts';
import type { DecisionService } from './decision.service.ts';
import { DecisionBody, DecisionQuery, DecisionReply, PlantBody, PlantReply } from './decision.schemas.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const READ = { auth: { roles: ['analyst', 'admin'] as const } };
const Params = Type.Object({ id: Type.String({ maxLength: 128 }) });

const decisionOut = (investigationId: string, d: Awaited<ReturnType<DecisionService['decision']>>) => ({
  investigationId,
  status: d.status,
  confirmed: d.confirmed,
  summary: d.summary,
  observationEndsAt: d.observationEndsAt === null ? null : iso(d.observationEndsAt),
  plan: d.plan.principals,
  principals: d.principals.map((p) => ({
    ...p,
    plantedAt: p.plantedAt === null ? null : iso(p.plantedAt),
    evidence: p.evidence.map((e) => ({ ...e, at: iso(e.at) })),
  })),
});

export async function decisionRoutes(app: App, ctx: AppContext) {
  const svc = () => ctx.services.decisions;
  const tags = ['leaks'];

  app.post(
    '/v1/investigations/:id/canaries',
    {
      bodyLimit: 4 * 1024 * 1024,
      // 409: nothing left to decide, or too few watched contacts for the canaries
      config: { ...READ, problems: [409] },
      schema: {
        tags,
        summary: 'Plant canaries to decide between the principals an investigation could not exclude',
        description:
          'One set of canary customers per not-excluded principal, exposed to that principal only, sized so that a leaking principal has at most a 5 % chance of none being contacted. Returns the events to inject into each scope only (for export recipients: as rows of their next exports). Planting again returns the same canaries.',
        params: Params,
        body: PlantBody,
        response: { 200: PlantReply, 201: PlantReply },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const r = await svc().plant(req.params.id, {
        contacts: b.contacts,
        maxCanaries: b.maxCanaries,
        observationDays: b.observationDays,
        at: parseTime(b.at, 'at'),
      });
      reply.code(r.duplicate ? 200 : 201);
      return {
        investigationId: req.params.id,
        observationDays: r.plan.observationDays,
        duplicate: r.duplicate,
        principals: r.sets.map((s) => ({ ...s, canaries: s.canaries.map((c) => ({ ...c, createdAt: iso(c.createdAt) })) })),
      };
    },
  );

  app.get(
    '/v1/investigations/:id/decision',
    {
      config: READ,
      schema: {
        tags,
        summary: 'Which not-excluded principal the canaries confirm',
        description:
          'Confirmed: a canary exposed only to it was contacted (or a leaked file carries its canary rows or substitutes). Not confirmed: its canaries stayed silent for the observation period. Observing: neither yet.',
        params: Params,
        querystring: DecisionQuery,
        response: { 200: DecisionReply },
      },
    },
    async (req) => decisionOut(req.params.id, await svc().decision(req.params.id, { observationDays: req.query.observationDays })),
  );

  app.post(
    '/v1/investigations/:id/decision',
    {
      bodyLimit: 64 * 1024 * 1024,
      config: { ...READ, problems: [422] },
      schema: {
        tags,
        summary: 'The decision, with a leaked file as evidence too',
        description:
          'As GET, and a leaked file that carries canary rows or substitute phone values of one of the principals confirms it (coverage of real customers alone never does: these principals read nearly everything).',
        params: Params,
        body: DecisionBody,
        response: { 200: DecisionReply },
      },
    },
    async (req) =>
      decisionOut(req.params.id, await svc().decision(req.params.id, { observationDays: req.body.observationDays, leakedFile: req.body.leakedFile })),
  );
}
