// The Fastify app's types, apart from `app.ts` (which builds the app from the areas): every
// routes file imports `App` from here, so no area depends on the module that lists the areas.
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';

/** The app type every area's routes receive: TypeBox schemas type the handlers. */
export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface RouteInfo {
  method: string;
  url: string;
  auth: unknown;
  /** The route's schema as declared (TypeBox), so tests can check data against its responses. */
  schema?: unknown;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, for docs and for the role-check test. */
    routeList: RouteInfo[];
  }
}
