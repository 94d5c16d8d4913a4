import { createHash } from 'node:crypto';
import { shopTimeZone } from '../shop/shop.config.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { corsPreflight, publicCors } from '../http/public-web.ts';
import { publicLimit } from '../http/public-limit.ts';
import { RISK_TIERS, tierAtLeast, type RiskTier } from './risk.ts';
import {
  lit,
  EVIDENCE_TYPES,
  ReportInput,
  PublicAck,
  StaffAck,
  ReportView,
  WarningEntryInput,
  WarningEntry,
  CaseStats,
  IndicatorRisk,
  Victim,
  MAX_EVIDENCE_FILES,
  MAX_EVIDENCE_BYTES,
} from './reports.schemas.ts';
import { reportsConfig } from './reports.config.ts';
import { caseStats } from './case-stats.ts';
import { workflowRoutes } from './workflow.routes.ts';
import { reportsOverview } from './overview.ts';
import { reportsCsv, casesCsv, caseFileMarkdown } from './sharing.ts';
import { caseStixBundle, extensionSchema, EXTENSION_SCHEMA_PATH } from './stix.ts';
import { INDICATOR_KINDS } from './normalize.ts';
import { readEvidence } from './evidence.ts';
import { defaulted } from '../lib/defaulted.ts';
import { fileResponse } from '../http/problem-responses.ts';
import type { CheckKind } from './checker.ts';

const ANALYSTS = { roles: ['analyst', 'admin'] } as const;
const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

const FEEDS = { phones: ['phone'], domains: ['domain'], payees: ['payee_account', 'payee_name'] } as const;

export async function reportsRoutes(app: App, ctx: AppContext) {
  const svc = ctx.services.reports;
  const cfg = reportsConfig(ctx.config.areas);
  const timeZone = shopTimeZone(ctx.config.areas);
  const limit = publicLimit(cfg.publicRateLimit.max, cfg.publicRateLimit.timeWindow);
  const cfgDataDir = svc.config.dataDir;

  app.post(
    '/v1/reports',
    {
      bodyLimit: MAX_EVIDENCE_FILES * Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 256 * 1024,
      config: { auth: 'public', rateLimit: limit },
      schema: {
        tags: ['reports'],
        summary: 'Report a scam contact (public, or on behalf of a signed-in customer)',
        description:
          'Public callers get only a reference number; agent and ingest callers get {reportId, caseId}. Card numbers, ID numbers, passwords and SMS codes are removed from free text before storage. Evidence files: base64 in JSON, at most 4 files of 2 MB.',
        body: ReportInput,
        response: { 200: Type.Union([StaffAck, PublicAck]), 201: Type.Union([StaffAck, PublicAck]) },
      },
    },
    async (req, reply) => {
      const staff = req.caller && ['agent', 'ingest', 'admin', 'analyst'].includes(req.caller.role) ? req.caller : undefined;
      const r = await svc.submit(req.body, staff);
      reply.code(r.created ? 201 : 200);
      if (!staff) return { reference: r.reference, message: '举报已收到，谢谢。Report received — thank you. Quote this reference if you contact us.' };
      return { reportId: r.reportId, caseId: r.caseId, reference: r.reference, trust: r.trust };
    },
  );

  app.get('/v1/reports/:id', { config: { auth: ANALYSTS }, schema: { tags: ['reports'], params: IdParam, response: { 200: ReportView } } }, async (req) => {
    const r = await svc.getReport(req.params.id);
    if (!r) throw problems.notFound('report');
    return r;
  });

  app.get(
    '/v1/reports/:id/evidence/:evidenceId',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['reports'],
        summary: 'Download an evidence file (hash verified)',
        params: Type.Object({ id: Type.String({ maxLength: 128 }), evidenceId: Type.String({ maxLength: 128 }) }),
        response: { 200: fileResponse('The evidence file as submitted', EVIDENCE_TYPES, true) },
      },
    },
    async (req, reply) => {
      const r = await svc.getReport(req.params.id);
      const e = r?.evidence.find((x) => x.id === req.params.evidenceId);
      const bytes = e ? readEvidence(cfgDataDir, e.sha256) : null;
      if (!e || !bytes) throw problems.notFound('evidence file');
      reply.type(e.contentType).header('content-disposition', `attachment; filename="${e.sha256}"`).header('x-content-sha256', e.sha256);
      return bytes;
    },
  );

  app.post(
    '/v1/reports/:id/confirm',
    { config: { auth: ANALYSTS }, schema: { tags: ['reports'], summary: 'Mark a report staff-confirmed', params: IdParam, response: { 204: Type.Null() } } },
    async (req, reply) => {
      if (!(await svc.confirm(req.params.id))) throw problems.notFound('report');
      reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/stats/reports',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: 'Totals at a glance: reports, cases, losses, last 30 days, top indicators and payees',
        response: {
          200: Type.Object({
            reports: Type.Integer(),
            cases: Type.Integer(),
            casesWithSeveralReports: Type.Integer(),
            lossByCurrency: Type.Array(Type.Object({ currency: Type.String(), total: Type.Number() })),
            lastDays: Type.Array(Type.Object({ day: Type.String(), reports: Type.Integer(), loss: Type.Number() })),
            byChannel: Type.Array(Type.Object({ key: Type.String(), reports: Type.Integer() })),
            topIndicators: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), reports: Type.Integer(), tier: lit(RISK_TIERS) })),
            topPayees: Type.Array(
              Type.Object({
                payee: Type.String(),
                account: Type.Union([Type.String(), Type.Null()]),
                currency: Type.String(),
                amount: Type.Number(),
                payments: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async () => reportsOverview(ctx.database.db, svc),
  );

  // The triage list, workflow, notes and timeline of cases.
  await workflowRoutes(app, ctx);

  const statsOf = async (id: string) => {
    const root = await svc.resolveCase(id);
    const s = root ? await caseStats(svc, root) : null;
    if (!s) throw problems.notFound('case');
    return s;
  };

  app.get(
    '/v1/cases/:id',
    {
      config: { auth: ANALYSTS },
      schema: { tags: ['cases'], summary: 'Case statistics (a merged case id answers for the case it joined)', params: IdParam, response: { 200: CaseStats } },
    },
    async (req) => statsOf(req.params.id),
  );

  app.get(
    '/v1/cases/:id/reports',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: "A case's reports, oldest contact first",
        params: IdParam,
        response: {
          200: Type.Array(
            Type.Object({
              id: Type.String(),
              reference: Type.String(),
              trust: Type.String(),
              channel: Type.String(),
              contactAt: Type.String(),
              loss: Type.Number(),
              currency: Type.String(),
            }),
          ),
        },
      },
    },
    async (req) => {
      const root = await svc.resolveCase(req.params.id);
      if (!root) throw problems.notFound('case');
      return (await svc.caseReports(root)).map((r) => ({
        id: r.id,
        reference: r.ref,
        trust: r.trust,
        channel: r.channel,
        contactAt: new Date(Number(r.contact_at)).toISOString(),
        loss: Number(r.loss_minor) / 100,
        currency: r.currency,
      }));
    },
  );

  app.get(
    '/v1/cases/:id/victims',
    {
      config: { auth: ANALYSTS },
      schema: { tags: ['cases'], summary: 'The victims of a case, for an investigation', params: IdParam, response: { 200: Type.Array(Victim) } },
    },
    async (req) => {
      const root = await svc.resolveCase(req.params.id);
      if (!root) throw problems.notFound('case');
      return (await svc.victimsForCase(root)).map((v) => ({ ...v, contactAt: new Date(v.contactAt).toISOString() }));
    },
  );

  app.get(
    '/v1/cases/:id/stix',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: 'STIX 2.1 bundle (TLP:AMBER)',
        params: IdParam,
        response: {
          200: {
            description: 'A STIX 2.1 bundle',
            content: {
              'application/stix+json': {
                schema: Type.Unsafe<unknown>(
                  Type.Object(
                    { type: Type.Literal('bundle'), id: Type.String(), objects: Type.Array(Type.Object({}, { additionalProperties: true })) },
                    { additionalProperties: true },
                  ),
                ),
              },
            },
          },
        },
      },
    },
    async (req, reply) => {
      const s = await statsOf(req.params.id);
      const inds = await svc.caseIndicators(s.id);
      reply.type('application/stix+json;version=2.1').header('content-disposition', `attachment; filename="${s.id}.stix.json"`);
      return caseStixBundle(s, inds, { producerName: cfg.producerName, schemaUrl: schemaUrl(req) });
    },
  );

  // The extension-definition names this URL; it holds no data, so it is public (consumers fetch it unauthenticated).
  const schemaUrl = (req: FastifyRequest) => `${cfg.publicUrl ? cfg.publicUrl.replace(/\/$/, '') : `${req.protocol}://${req.host}`}${EXTENSION_SCHEMA_PATH}`;
  app.get(
    EXTENSION_SCHEMA_PATH,
    {
      config: { auth: 'public' },
      schema: {
        tags: ['exports'],
        summary: "JSON schema of fanzha's STIX extension (x-fanzha-* observables)",
        response: {
          200: {
            description: 'A JSON Schema (draft 2020-12) document',
            content: { 'application/schema+json': { schema: Type.Unsafe<string>(Type.Object({}, { additionalProperties: true })) } },
          },
        },
      },
    },
    async (req, reply) => {
      reply.type('application/schema+json').header('cache-control', 'public, max-age=86400');
      return JSON.stringify(extensionSchema(schemaUrl(req)));
    },
  );

  app.get(
    '/v1/cases/:id/casefile',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['cases'],
        summary: 'Printable case file for the police (Markdown)',
        params: IdParam,
        response: { 200: fileResponse('The case file', ['text/markdown']) },
      },
    },
    async (req, reply) => {
      const s = await statsOf(req.params.id);
      const md = caseFileMarkdown(s, await svc.caseReports(s.id), await svc.casePayments(s.id), cfg.producerName, timeZone);
      reply.type('text/markdown; charset=utf-8').header('content-disposition', `inline; filename="${s.id}.md"`);
      return md;
    },
  );

  app.get(
    '/v1/exports/reports.csv',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['exports'],
        querystring: Type.Object({ limit: defaulted(Type.Integer({ minimum: 1, maximum: 100000, default: 10000 })) }),
        response: { 200: fileResponse('Reports as CSV', ['text/csv']) },
      },
    },
    async (req, reply) => {
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="reports.csv"');
      return '\uFEFF' + (await reportsCsv(svc, req.query.limit));
    },
  );

  app.get(
    '/v1/exports/cases.csv',
    {
      config: { auth: ANALYSTS },
      schema: {
        tags: ['exports'],
        querystring: Type.Object({ minReports: defaulted(Type.Integer({ minimum: 1, default: 1 })) }),
        response: { 200: fileResponse('Cases as CSV', ['text/csv']) },
      },
    },
    async (req, reply) => {
      const cases = await svc.listCases({ limit: 500, offset: 0, minReports: req.query.minReports });
      const stats = [];
      for (const c of cases) {
        const s = await caseStats(svc, c.id);
        if (s) stats.push(s);
      }
      reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="cases.csv"');
      return '\uFEFF' + casesCsv(stats);
    },
  );

  app.get(
    '/v1/indicators/risk',
    {
      config: { auth: { roles: ['analyst', 'admin', 'agent'] } },
      schema: {
        tags: ['cases'],
        querystring: Type.Object({ kind: lit(INDICATOR_KINDS), value: Type.String({ minLength: 1, maxLength: 2048 }) }),
        response: { 200: IndicatorRisk },
      },
    },
    async (req) => {
      const { kind, value } = req.query;
      const keys = await svc.extractIndicators(indicatorProbe(kind, value)).catch(() => {
        throw problems.validation(`The query failed validation: /value is not a valid ${kind}`, [{ path: '/value', message: `is not a valid ${kind}` }]);
      });
      const k = keys.find((x) => x.kind === kind) ?? keys[0];
      if (!k) throw problems.badRequest('Nothing to look up.');
      const r = (await svc.riskOf([k])).get(`${k.kind}\u0000${k.value}`);
      return {
        kind: k.kind,
        value: k.value,
        tier: k.official ? 'none' : (r?.tier ?? 'none'),
        reports: r?.reports ?? 0,
        official: k.official,
        cases: r?.cases ?? [],
      };
    },
  );

  // ---- warning list ----
  app.get('/v1/warning-list', { config: { auth: ANALYSTS }, schema: { tags: ['warning list'], response: { 200: Type.Array(WarningEntry) } } }, async () =>
    svc.warningList.entries(),
  );
  app.post(
    '/v1/warning-list',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['warning list'],
        summary: "Add one of the shop's official channels",
        body: WarningEntryInput,
        response: { 200: WarningEntry, 201: WarningEntry },
      },
    },
    async (req, reply) => {
      const r = await svc.warningList.add(req.body.kind, req.body.value, req.body.label ?? null);
      if (!r)
        throw problems.validation(`The body failed validation: /value is not a valid ${req.body.kind}`, [
          { path: '/value', message: `is not a valid ${req.body.kind}` },
        ]);
      reply.code(r.created ? 201 : 200);
      return r.entry;
    },
  );
  app.delete(
    '/v1/warning-list/:id',
    { config: { auth: { roles: ['admin'] } }, schema: { tags: ['warning list'], params: IdParam, response: { 204: Type.Null() } } },
    async (req, reply) => {
      if (!(await svc.warningList.remove(req.params.id))) throw problems.notFound('warning-list entry');
      reply.code(204).send(null);
    },
  );

  // ---- feeds ----
  app.get(
    '/v1/feeds/:list',
    {
      config: { auth: { roles: ['analyst', 'admin', 'ingest'] } },
      schema: {
        tags: ['feeds'],
        summary: 'Blocklist feed for filters and partners (text or JSON, with ETag)',
        params: Type.Object({ list: Type.Union([Type.Literal('phones'), Type.Literal('domains'), Type.Literal('payees')]) }),
        querystring: Type.Object({
          format: defaulted(Type.Union([Type.Literal('text'), Type.Literal('json')], { default: 'json' })),
          minTier: defaulted(Type.Union([Type.Literal('high'), Type.Literal('suspected'), Type.Literal('possible')], { default: 'suspected' })),
        }),
        response: {
          200: {
            description: 'The feed: one value per line (format=text; payees as kind TAB value) or JSON (format=json)',
            content: {
              'text/plain': { schema: Type.String() },
              // the handler sends the JSON text it hashed for the ETag, so the schema only documents
              'application/json': {
                schema: Type.Unsafe<string>(
                  Type.Object({
                    list: Type.String(),
                    minTier: Type.String(),
                    items: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), tier: Type.String(), reports: Type.Integer() })),
                  }),
                ),
              },
            },
          },
          304: { description: 'Not modified (If-None-Match matched the ETag)', type: 'null' },
        },
      },
    },
    async (req, reply) => {
      const rows = [...(await svc.riskOfKinds([...FEEDS[req.params.list]])).values()]
        .filter((r) => tierAtLeast(r.tier, req.query.minTier as RiskTier))
        .sort((a, b) => (a.kind + a.value < b.kind + b.value ? -1 : 1));
      const body =
        req.query.format === 'text'
          ? rows.map((r) => (req.params.list === 'payees' ? `${r.kind}\t${r.value}` : r.value)).join('\n') + (rows.length ? '\n' : '')
          : JSON.stringify({
              list: req.params.list,
              minTier: req.query.minTier,
              items: rows.map((r) => ({ kind: r.kind, value: r.value, tier: r.tier, reports: r.reports })),
            });
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
      reply.header('etag', etag).header('cache-control', 'private, max-age=60');
      if (req.headers['if-none-match'] === etag) return reply.code(304).send(null);
      reply.type(req.query.format === 'text' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
      return body;
    },
  );

  // ---- public checker ----
  corsPreflight(app, ctx, '/v1/check');
  app.get(
    '/v1/check',
    {
      config: { auth: 'public', ...publicCors(ctx), rateLimit: publicLimit(cfg.publicRateLimit.max * 3, cfg.publicRateLimit.timeWindow) },
      schema: {
        tags: ['public'],
        summary: "Is this phone, site or SMS sender the shop's own? Has it been reported?",
        description:
          'Give exactly one of phone, domain, sender. Never says whether a number belongs to a customer; every answer has the same shape and minimum time.',
        querystring: Type.Object(
          {
            phone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
            domain: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
            sender: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            kind: Type.String(),
            official: Type.Boolean(),
            officialLabel: Type.Union([Type.String(), Type.Null()]),
            risk: lit(RISK_TIERS),
            advice: Type.String(),
          }),
        },
      },
    },
    async (req) => {
      const given = (['phone', 'domain', 'sender'] as const).filter((k) => req.query[k] !== undefined);
      if (given.length !== 1) throw problems.badRequest('Give exactly one of phone, domain or sender.');
      const kind = given[0]! as CheckKind;
      const key = ctx.services.publicChecker.parse(kind, req.query[kind]!);
      if (!key)
        throw problems.validation(`The querystring failed validation: /${kind} is not a valid ${kind}`, [
          { path: `/${kind}`, message: `is not a valid ${kind}` },
        ]);
      return ctx.services.publicChecker.check(kind, key);
    },
  );
}

/** A minimal report carrying one value, so indicator look-ups share the report normalisers. */
function indicatorProbe(kind: string, value: string) {
  const base = {
    contactAt: '',
    channel: 'call' as const,
    callerNumbers: [] as string[],
    knewFields: [],
    scriptTags: [],
    orderIds: [],
    urls: [] as string[],
    apps: [] as string[],
    socialAccounts: [] as { platform: 'other'; handle: string }[],
    payments: [] as { amount: number; currency: string; method: 'other'; payeeAccount?: string; payeeName?: string; merchantId?: string }[],
    exposed: [],
    evidence: [],
  };
  switch (kind) {
    case 'phone':
      return { ...base, callerNumbers: [value] };
    case 'sms_sender':
      return { ...base, smsSender: value };
    case 'domain':
    case 'url':
      return { ...base, urls: [value] };
    case 'payee_account':
      return { ...base, payments: [{ amount: 1, currency: 'CNY', method: 'other' as const, payeeAccount: value }] };
    case 'payee_name':
      return { ...base, payments: [{ amount: 1, currency: 'CNY', method: 'other' as const, payeeName: value }] };
    case 'merchant_id':
      return { ...base, payments: [{ amount: 1, currency: 'CNY', method: 'other' as const, merchantId: value }] };
    case 'social': {
      const [p, ...h] = value.split(':');
      return { ...base, socialAccounts: [{ platform: 'other' as const, handle: h.length ? h.join(':') : p! }] };
    }
    default:
      return { ...base, apps: [value] };
  }
}
