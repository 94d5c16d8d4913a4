// HTTP endpoints of canary customers and their trips.
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import type { Canary, CanaryTrip, TripAlert } from './canaries.service.ts';
import {
  AlertOut,
  CanaryOut,
  CreateCanariesBody,
  CreateCanariesReply,
  EventsOut,
  ListQuery,
  TripBody,
  TripByContactBody,
  TripOut,
  TripsQuery,
} from './canaries.schemas.ts';

const iso = (ms: number) => new Date(ms).toISOString();
export const parseTime = (s: string | undefined, name: string): number | undefined => {
  if (s === undefined) return undefined;
  const ms = Date.parse(s);
  if (!Number.isFinite(ms)) throw problems.badRequest(`"${name}" is not a valid ISO 8601 time.`);
  return ms;
};
const canaryOut = (c: Canary & { trips?: number }) => ({ ...c, createdAt: iso(c.createdAt) });
const tripOut = (t: CanaryTrip) => ({ ...t, at: iso(t.at), receivedAt: iso(t.receivedAt) });
const alertOut = (a: TripAlert) => ({ ...a, trip: tripOut(a.trip) });

const READ = { auth: { roles: ['analyst', 'admin'] as const } };
// The shop's monitored phone line / SMS / mail webhook reports with an ingest key.
export const REPORT = { auth: { roles: ['ingest', 'admin'] as const } };

export async function canariesRoutes(app: App, ctx: AppContext) {
  const svc = () => ctx.services.canaries;
  const tags = ['canaries'];

  app.post(
    '/v1/canaries',
    {
      config: { ...READ, problems: [409] }, // a contact or id already taken
      schema: {
        tags,
        summary: 'Create canary customers exposed to one scope',
        description:
          'One canary (customer + orders) per watched contact. Returns the events the shop must inject into that scope only. Idempotent on requestId.',
        body: CreateCanariesBody,
        response: { 200: CreateCanariesReply, 201: CreateCanariesReply },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (b.ids && b.ids.length !== b.contacts.length) throw problems.badRequest('"ids" must have one entry per contact.');
      const plans = b.ids?.map((x) => ({ customerId: x.customerId, orderIds: x.orderIds }));
      const r = await svc().create(
        { requestId: b.requestId, scope: b.scope, contacts: b.contacts, ordersPerCanary: b.ordersPerCanary, plans, at: parseTime(b.at, 'at') },
        req.caller,
      );
      reply.code(r.duplicate ? 200 : 201);
      return { canaries: r.canaries.map(canaryOut), events: r.events, duplicate: r.duplicate };
    },
  );

  app.get(
    '/v1/canaries',
    { config: READ, schema: { tags, summary: 'List canaries', querystring: ListQuery, response: { 200: Type.Object({ items: Type.Array(CanaryOut) }) } } },
    async (req) => ({ items: (await svc().list(req.query)).map(canaryOut) }),
  );

  app.get(
    '/v1/canaries/trips',
    {
      config: READ,
      schema: {
        tags,
        summary: 'List canary trips (alerts), newest first',
        querystring: TripsQuery,
        response: { 200: Type.Object({ items: Type.Array(TripOut) }) },
      },
    },
    async (req) => ({ items: (await svc().trips({ since: parseTime(req.query.since, 'since'), limit: req.query.limit })).map(tripOut) }),
  );

  app.post(
    '/v1/canaries/trips',
    {
      config: REPORT,
      schema: {
        tags,
        summary: 'Report a contact to a watched number or address',
        description: 'For phone lines and mail hooks that know the contact reached, not the canary id.',
        body: TripByContactBody,
        response: { 200: AlertOut, 201: AlertOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const a = await svc().tripByContact({ phone: b.phone, email: b.email, clientId: b.tripId, channel: b.channel, at: parseTime(b.at, 'at'), from: b.from });
      reply.code(a.duplicate ? 200 : 201);
      return alertOut(a);
    },
  );

  app.get(
    '/v1/canaries/:id',
    { config: READ, schema: { tags, summary: 'Get a canary', params: Type.Object({ id: Type.String() }), response: { 200: CanaryOut } } },
    async (req) => {
      const canary = await svc().get(req.params.id);
      if (!canary) throw problems.notFound('canary');
      const trips = await svc().tripCount(canary.id);
      return canaryOut({ ...canary, trips });
    },
  );

  app.get(
    '/v1/canaries/:id/events',
    {
      config: READ,
      schema: {
        tags,
        summary: "The canary's events to inject into its scope",
        params: Type.Object({ id: Type.String() }),
        response: { 200: Type.Object({ events: EventsOut }) },
      },
    },
    async (req) => {
      const canary = await svc().get(req.params.id);
      if (!canary) throw problems.notFound('canary');
      return { events: await svc().events([canary]) };
    },
  );

  app.get(
    '/v1/canaries/:id/trips',
    {
      config: READ,
      schema: {
        tags,
        summary: "A canary's trips",
        params: Type.Object({ id: Type.String() }),
        querystring: TripsQuery,
        response: { 200: Type.Object({ items: Type.Array(TripOut) }) },
      },
    },
    async (req) => {
      if (!(await svc().get(req.params.id))) throw problems.notFound('canary');
      return { items: (await svc().trips({ canaryId: req.params.id, since: parseTime(req.query.since, 'since'), limit: req.query.limit })).map(tripOut) };
    },
  );

  app.post(
    '/v1/canaries/:id/trips',
    {
      config: REPORT,
      schema: {
        tags,
        summary: 'A canary was contacted: raise an alert naming its scope',
        params: Type.Object({ id: Type.String() }),
        body: TripBody,
        response: { 200: AlertOut, 201: AlertOut },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const a = await svc().trip(req.params.id, { clientId: b.tripId, channel: b.channel, at: parseTime(b.at, 'at'), from: b.from });
      reply.code(a.duplicate ? 200 : 201);
      return alertOut(a);
    },
  );
}
