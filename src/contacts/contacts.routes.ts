import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import type { ContactsService, ContactChannel } from './contacts.service.ts';
import type { SessionRow } from './contacts.repository.ts';
import {
  OpenContactBody,
  ContactSession,
  UpdateContactBody,
  ContactStatusView,
  ContactStatusQuery,
  ContactStats,
  ContactStatsQuery,
  type ContactSessionT,
} from './contacts.schemas.ts';

const iso = (ms: number) => new Date(Number(ms)).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function toSession(s: SessionRow): ContactSessionT {
  return {
    id: s.id,
    customerId: s.customer_id,
    orderId: s.order_id,
    channel: s.channel,
    reason: s.reason,
    status: s.status,
    staffName: s.staff_name,
    team: s.staff_team,
    phrase: s.phrase,
    createdAt: iso(s.created_at),
    expiresAt: iso(s.expires_at),
    ringingAt: isoOrNull(s.ringing_at),
    connectedAt: isoOrNull(s.connected_at),
    endedAt: isoOrNull(s.ended_at),
  };
}

// The embeddable status card: static files served from 'self' (the app's CSP), no key needed.
const EMBED_DIR = new URL('./embed/', import.meta.url);
const EMBED_FILES: Record<string, string> = {
  'contact-status.js': 'text/javascript; charset=utf-8',
  'demo.html': 'text/html; charset=utf-8',
  'demo.js': 'text/javascript; charset=utf-8',
  'demo-status.json': 'application/json; charset=utf-8',
};

export function contactsRoutes(service: ContactsService) {
  return async (app: App, _ctx: AppContext) => {
    app.post(
      '/v1/contacts',
      {
        config: { auth: { roles: ['agent'] }, problems: [409] },
        schema: {
          tags: ['contacts'],
          summary: 'Open an official contact session before calling or messaging a customer',
          body: OpenContactBody,
          response: { 201: ContactSession },
        },
      },
      async (req, reply) => {
        const s = await service.open({
          principalId: req.caller!.principalId,
          customerId: req.body.customerId,
          orderId: req.body.orderId,
          channel: req.body.channel as ContactChannel,
          reason: req.body.reason,
        });
        reply.code(201);
        return toSession(s);
      },
    );

    app.patch(
      '/v1/contacts/:id',
      {
        config: { auth: { roles: ['agent', 'admin'] }, problems: [409] },
        schema: {
          tags: ['contacts'],
          summary: 'Record ringing, connected or ended',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          body: UpdateContactBody,
          response: { 200: ContactSession },
        },
      },
      async (req) => {
        const status = req.body.status as 'ringing' | 'connected' | 'ended';
        return toSession(await service.update(req.params.id, status, { principalId: req.caller!.principalId, admin: req.caller!.role === 'admin' }));
      },
    );

    app.get(
      '/v1/customers/:id/contact-status',
      {
        config: { auth: { roles: ['ingest'] } },
        schema: {
          tags: ['contacts'],
          summary: "Is the shop contacting this customer now? (called by the shop's backend for its signed-in customer)",
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) }),
          querystring: ContactStatusQuery,
          response: { 200: ContactStatusView },
        },
      },
      async (req, reply) => {
        const v = await service.status(req.params.id, req.query.lang as 'zh-CN' | 'en' | undefined);
        reply.header('cache-control', 'no-store');
        const s = v.sessions[0];
        return {
          customerId: v.customerId,
          contacting: v.contacting,
          session: s
            ? {
                id: s.id,
                channel: s.channel,
                status: s.status,
                staffName: s.staff_name,
                team: s.staff_team,
                orderId: s.order_id,
                reason: s.reason,
                phrase: s.phrase,
                startedAt: iso(s.created_at),
                expiresAt: iso(s.expires_at),
              }
            : null,
          lastContactAt: isoOrNull(v.lastContactAt),
          lastContactChannel: v.lastContactChannel,
          lang: v.lang,
          message: v.message,
        };
      },
    );

    app.get(
      '/v1/contacts/stats',
      {
        config: { auth: { roles: ['analyst', 'admin'] } },
        schema: {
          tags: ['contacts'],
          summary: 'Contact sessions per day, channel and team (kept after details are purged)',
          querystring: ContactStatsQuery,
          response: { 200: ContactStats },
        },
      },
      async (req) => {
        // Sessions still inside retention are counted too, so the numbers do not jump at purge time.
        const kept = await service.repo.aggregates(req.query.from, req.query.to);
        const live = await service.liveAggregates(req.query.from, req.query.to);
        const m = new Map<string, { day: string; channel: string; team: string; sessions: number; connected: number }>();
        for (const r of [...kept, ...live]) {
          const k = `${r.day}\u0000${r.channel}\u0000${r.team}`;
          const a = m.get(k) ?? { day: r.day, channel: r.channel, team: r.team, sessions: 0, connected: 0 };
          a.sessions += Number(r.sessions);
          a.connected += Number(r.connected);
          m.set(k, a);
        }
        return { items: [...m.values()].sort((a, b) => (a.day + a.channel + a.team).localeCompare(b.day + b.channel + b.team)) };
      },
    );

    for (const [file, type] of Object.entries(EMBED_FILES)) {
      const body = readFileSync(new URL(file, EMBED_DIR));
      app.get(`/embed/${file}`, { schema: { hide: true } }, async (_req, reply) => {
        reply.type(type).header('cache-control', 'public, max-age=300').header('cross-origin-resource-policy', 'cross-origin');
        return reply.send(body);
      });
    }
  };
}
