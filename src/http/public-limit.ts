// The rate limit of public endpoints (`config.rateLimit` of a route; @fastify/rate-limit), shared
// by every area with public routes (reports, links).
import type { FastifyRequest } from 'fastify';

/** Public callers are limited per IP; authenticated callers per key, with a higher allowance. */
export function publicLimit(max: number, timeWindow: string | number) {
  return {
    max: (req: FastifyRequest) => (req.caller ? max * 50 : max),
    timeWindow,
    keyGenerator: (req: FastifyRequest) => (req.caller ? `key:${req.caller.keyId}` : `ip:${req.ip}`),
  };
}
