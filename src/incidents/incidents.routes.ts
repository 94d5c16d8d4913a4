// Incidents API. Roles: analysts and admins open incidents, edit scope, contain (containment must
// not wait for an admin) and read reports; notifying customers and closing need an admin, since a
// notice to thousands of customers cannot be taken back.
import { Type } from '@sinclair/typebox';
import { defaulted } from '../lib/defaulted.ts';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { BinaryBody } from '../http/problem-responses.ts';
import { CloseBody, CreateIncident, Incident, IncidentDetail, Progress, ScopeEdit } from './incidents.schemas.ts';
import type { CreateIncidentInput, ScopeEdit as ScopeEditT } from './incidents.types.ts';
import { renderPdf } from './report.pdf.ts';
import type { IncidentsConfig } from './incidents.config.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 128 }) });
const ANALYST = { auth: { roles: ['analyst', 'admin'] } } as const;
const ADMIN = { auth: { roles: ['admin'] } } as const;
// state changes refuse a transition the incident's state does not allow (409) or an incomplete request (422)
const CHANGE = { problems: [409, 422] } as const;

export function incidentsRoutes(conf: IncidentsConfig) {
  return async (app: App, ctx: AppContext) => {
    const svc = () => ctx.services.incidents;
    const tags = ['incidents'];

    app.post(
      '/v1/incidents',
      {
        config: { ...ANALYST, ...CHANGE },
        schema: {
          tags,
          summary: 'Open an incident from an investigation, a canary trip, a leak match or by hand',
          body: CreateIncident,
          response: { 201: Incident, 200: Incident },
        },
      },
      async (req, reply) => {
        const [inc, created] = await svc().create(req.body as CreateIncidentInput, req.caller ?? null);
        reply.code(created ? 201 : 200).header('location', `/v1/incidents/${inc.id}`);
        return inc;
      },
    );

    app.get(
      '/v1/incidents',
      {
        config: ANALYST,
        schema: {
          tags,
          summary: 'Incidents, newest first by default: filter by state or source, sort by time or affected customers; the total matching is in X-Total-Count',
          querystring: Type.Object({
            limit: defaulted(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
            offset: defaulted(Type.Integer({ minimum: 0, default: 0 })),
            state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('contained'), Type.Literal('notified'), Type.Literal('closed')])),
            source: Type.Optional(Type.Union([Type.Literal('investigation'), Type.Literal('canary_trip'), Type.Literal('leak_match'), Type.Literal('manual')])),
            sort: defaulted(Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('affected')], { default: 'created' })),
            order: defaulted(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'desc' })),
          }),
          response: { 200: Type.Array(Incident) },
        },
      },
      async (req, reply) => {
        const page = await svc().page(req.query);
        reply.header('x-total-count', String(page.total));
        return page.items;
      },
    );

    app.get(
      '/v1/incidents/:id',
      { config: ANALYST, schema: { tags, summary: 'An incident with its transitions', params: Params, response: { 200: IncidentDetail } } },
      async (req) => {
        const inc = await svc().get(req.params.id);
        if (!inc) throw problems.notFound('incident');
        return { ...inc, events: await svc().events(inc.id) };
      },
    );

    app.get(
      '/v1/incidents/:id/customers',
      {
        config: ANALYST,
        schema: {
          tags,
          summary: 'Affected customer ids (paged by id)',
          params: Params,
          querystring: Type.Object({
            after: Type.Optional(Type.String({ maxLength: 128 })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          }),
          response: { 200: Type.Object({ customerIds: Type.Array(Type.String()) }) },
        },
      },
      async (req) => {
        if (!(await svc().get(req.params.id))) throw problems.notFound('incident');
        return { customerIds: await svc().customerIds(req.params.id, { afterId: req.query.after, limit: req.query.limit }) };
      },
    );

    app.patch(
      '/v1/incidents/:id/scope',
      {
        config: { ...ANALYST, ...CHANGE },
        schema: {
          tags,
          summary: 'Edit the scope (principals, fields, window) with a recorded reason',
          params: Params,
          body: ScopeEdit,
          response: { 200: Incident },
        },
      },
      async (req) => svc().editScope(req.params.id, req.body as ScopeEditT, req.caller ?? null),
    );

    app.post(
      '/v1/incidents/:id/contain',
      {
        config: { ...ANALYST, ...CHANGE },
        schema: {
          tags,
          summary: "Revoke the principals' keys, freeze their reveals, send the signed webhook to the shop",
          params: Params,
          response: { 200: Incident },
        },
      },
      async (req) => svc().contain(req.params.id, req.caller ?? null),
    );

    app.post(
      '/v1/incidents/:id/notify',
      {
        config: { ...ADMIN, ...CHANGE },
        schema: {
          tags,
          summary: 'Notify every affected customer once (runs in the background; poll the progress)',
          params: Params,
          querystring: Type.Object({ wait: Type.Optional(Type.Boolean()) }),
          response: { 202: Progress, 200: Progress },
        },
      },
      async (req, reply) => {
        if (req.query.wait) return svc().notify(req.params.id, req.caller ?? null);
        const p = await svc().startNotify(req.params.id, req.caller ?? null);
        reply.code(202);
        return p;
      },
    );

    app.get(
      '/v1/incidents/:id/notify',
      { config: ANALYST, schema: { tags, summary: 'Notification progress (queued/sent/delivered/failed)', params: Params, response: { 200: Progress } } },
      async (req) => svc().progress(req.params.id),
    );

    app.post(
      '/v1/incidents/:id/close',
      { config: { ...ADMIN, ...CHANGE }, schema: { tags, summary: 'Close a notified incident', params: Params, body: CloseBody, response: { 200: Incident } } },
      async (req) => svc().close(req.params.id, (req.body as { reason?: string } | undefined)?.reason, req.caller ?? null),
    );

    app.get(
      '/v1/incidents/:id/report',
      {
        config: ANALYST,
        schema: {
          tags,
          summary: 'The regulator report (PIPL art. 57) or internal post-mortem, as Markdown or PDF',
          params: Params,
          querystring: Type.Object({
            kind: Type.Optional(Type.Union([Type.Literal('regulator'), Type.Literal('postmortem')])),
            format: Type.Optional(Type.Union([Type.Literal('md'), Type.Literal('pdf')])),
          }),
          response: { 200: { description: 'The report', content: { 'text/markdown': { schema: Type.String() }, 'application/pdf': { schema: BinaryBody } } } },
        },
      },
      async (req, reply) => {
        const md = await svc().report(req.params.id, req.query.kind ?? 'regulator');
        if (req.query.format === 'pdf') {
          const pdf = await renderPdf(md, conf.pdfFont);
          reply.type('application/pdf');
          return pdf;
        }
        reply.type('text/markdown; charset=utf-8');
        return md;
      },
    );
  };
}
