// Authentication and role checks. Every route under /v1 must declare `config.auth`;
// registering one without it throws, so no endpoint can ship unprotected by accident.
import fp from 'fastify-plugin';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { ApiKeysService } from '../apikeys/apikeys.service.ts';
import { problems } from './problem.ts';
import type { RouteAuth } from './roles.ts';

export interface AuthPluginOptions {
  apiKeys: ApiKeysService;
  /** Lets another plugin (the console session) supply the caller from a cookie. */
  cookieCaller?: (req: import('fastify').FastifyRequest) => Promise<import('./roles.ts').Caller | null>;
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

export const authPlugin = fp(async (app: FastifyInstance, opts: AuthPluginOptions) => {
  app.decorateRequest('caller', undefined);

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/v1/')) return;
    const auth = (route.config as { auth?: RouteAuth } | undefined)?.auth;
    if (auth === undefined) throw new Error(`route ${route.method} ${route.url} does not declare config.auth`);
  });

  app.addHook('onRequest', async (req) => {
    const auth = req.routeOptions.config?.auth as RouteAuth | undefined;
    if (auth === undefined) return;
    // HIBP clients send their key as `hibp-api-key`; routes compatible with HIBP accept it too.
    const hibpKey = req.routeOptions.config?.hibpKeyHeader ? req.headers['hibp-api-key'] : undefined;
    const token = bearerToken(req.headers.authorization) ?? (typeof hibpKey === 'string' && hibpKey ? hibpKey : null);
    let caller = token ? await opts.apiKeys.authenticate(token) : null;
    if (!caller && !token && opts.cookieCaller) caller = await opts.cookieCaller(req);
    if (auth === 'public') {
      if (caller) req.caller = caller;
      return;
    }
    if (!caller) throw problems.unauthorized();
    if (!auth.roles.includes(caller.role)) throw problems.forbidden(caller.role, auth.roles);
    req.caller = caller;
  });
});
