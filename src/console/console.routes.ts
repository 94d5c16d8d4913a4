// Console sign-in, session and feature discovery endpoints.
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { CONSOLE_ROLES, SESSION_COOKIE, type ConsoleSessionService, type SessionInfo } from './session.service.ts';
import { FEATURE_PROBES, featuresOf } from './features.ts';

/** Sent by the console on sign-in: an HTML form cannot set it, so sign-in cannot be forged cross-site. */
export const CONSOLE_REQUEST_HEADER = 'x-requested-with';
export const CONSOLE_REQUEST_VALUE = 'fanzha-console';

const SessionView = Type.Object({
  signedIn: Type.Boolean(),
  keyId: Type.Optional(Type.String()),
  keyName: Type.Optional(Type.String()),
  role: Type.Optional(Type.String()),
  /** Echo this in the x-fanzha-csrf header on POST/PUT/PATCH/DELETE. */
  csrfToken: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Type.String()),
});

const Features = Type.Object(Object.fromEntries(Object.keys(FEATURE_PROBES).map((k) => [k, Type.Boolean()])));

function isHttps(req: FastifyRequest): boolean {
  return req.protocol === 'https';
}

function cookieOptions(req: FastifyRequest, maxAgeSeconds?: number) {
  return { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: isHttps(req), ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}) };
}

function view(info: SessionInfo) {
  return { signedIn: true, ...info };
}

export async function consoleRoutes(app: App, ctx: AppContext) {
  const sessions = ctx.services.consoleSessions as ConsoleSessionService;

  app.post(
    '/v1/console/session',
    {
      config: { auth: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['console'],
        summary: 'Sign in to the console: exchange an admin or analyst API key for a session cookie',
        headers: Type.Object({ [CONSOLE_REQUEST_HEADER]: Type.Literal(CONSOLE_REQUEST_VALUE) }),
        body: Type.Object({ key: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 201: SessionView },
      },
    },
    async (req, reply) => {
      const { key } = req.body as { key: string };
      const { token, info } = await sessions.signIn(key);
      const maxAge = Math.floor((Date.parse(info.expiresAt) - Date.now()) / 1000);
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(req, maxAge));
      reply.code(201);
      return view(info);
    },
  );

  // Public so the console can ask "am I signed in?" without producing a 401 in the browser.
  app.get(
    '/v1/console/session',
    { config: { auth: 'public' }, schema: { tags: ['console'], summary: 'The current console session, if any', response: { 200: SessionView } } },
    async (req) => {
      const s = await sessions.resolve(req.cookies[SESSION_COOKIE]);
      return s ? view(s.info) : { signedIn: false };
    },
  );

  app.delete(
    '/v1/console/session',
    { config: { auth: { roles: CONSOLE_ROLES } }, schema: { tags: ['console'], summary: 'Sign out of the console', response: { 204: Type.Null() } } },
    async (req: FastifyRequest, reply: FastifyReply) => {
      await sessions.signOut(req.cookies[SESSION_COOKIE]);
      reply.clearCookie(SESSION_COOKIE, cookieOptions(req));
      reply.code(204);
    },
  );

  app.get(
    '/v1/console/features',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['console'],
        summary: 'Which product areas this server has (the console hides the rest)',
        response: { 200: Type.Object({ features: Features }) },
      },
    },
    async () => ({ features: featuresOf(app.routeList) }),
  );
}
