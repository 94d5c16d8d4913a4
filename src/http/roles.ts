export const ROLES = ['admin', 'analyst', 'agent', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(x: string): x is Role {
  return (ROLES as readonly string[]).includes(x);
}

/** The authenticated caller of a request. */
export interface Caller {
  keyId: string;
  keyName: string;
  role: Role;
  /** The principal this key acts for (a staff account, partner or API client), if any. */
  principalId: string | null;
}

/**
 * Every route under /v1 declares who may call it, in its `config`:
 *   config: { auth: { roles: ['analyst'] } }   or   config: { auth: 'public' }
 * A route without a declaration makes the app refuse to start (see auth.plugin.ts).
 */
export type RouteAuth = 'public' | { roles: readonly Role[] };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** Also take the API key from an `hibp-api-key` header (routes compatible with HIBP clients). */
    hibpKeyHeader?: boolean;
  }
  interface FastifyRequest {
    caller?: Caller;
  }
}
