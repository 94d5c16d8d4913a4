// Who may read /metrics. The figures carry no personal data, but they describe traffic and load
// (how many events, refunds, failures), so they are not public: with FANZHA_METRICS_TOKEN set, a
// scraper sends it as a bearer token; without one, only a direct loopback peer (a scraper on the
// same host, no proxy in between) is answered. Everyone else gets the same 404 as any unknown path.
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { bearerToken } from './auth.plugin.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

const digest = (s: string) => createHash('sha256').update(s).digest();

export function metricsAllowed(req: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const sent = bearerToken(req.headers.authorization);
    return sent !== null && timingSafeEqual(digest(sent), digest(token));
  }
  // A proxy on the same host would forward outside traffic from loopback: it adds the header.
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false;
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}
