// POST /v1/canaries/webhook: the same trip report as POST /v1/canaries/trips, for telephony, SMS
// and mail providers that cannot hold an API key but can sign their calls. Enabled only when
// areas.canaries.webhookSecret is set. Signature header (Stripe-style, replay-limited):
//   X-Fanzha-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
import { createHmac, timingSafeEqual } from 'node:crypto';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { HttpProblem, problems } from '../http/problem.ts';
import { AlertOut, TripByContactBody } from './canaries.schemas.ts';

export const SIGNATURE_HEADER = 'x-fanzha-signature';
const TOLERANCE_S = 300;
const check = TypeCompiler.Compile(TripByContactBody);

export function signWebhook(secret: string, body: string, t = Math.floor(Date.now() / 1000)): string {
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

function verify(secret: string, header: string | undefined, body: string, now: number): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > TOLERANCE_S || !parts.v1 || !/^[0-9a-f]{64}$/.test(parts.v1)) return false;
  const want = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  return timingSafeEqual(want, Buffer.from(parts.v1, 'hex'));
}

export async function canariesWebhookRoutes(app: App, ctx: AppContext, secret: string | undefined) {
  await app.register(async (scoped) => {
    // The signature covers the exact bytes sent, so the body is kept as text until verified.
    scoped.removeContentTypeParser('application/json');
    scoped.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
    (scoped as unknown as App).post(
      '/v1/canaries/webhook',
      {
        bodyLimit: 64 * 1024,
        config: { auth: 'public', rateLimit: { max: 300, timeWindow: '1 minute' }, problems: [400, 401, 404, 409, 413, 415] },
        schema: {
          tags: ['canaries'],
          summary: 'Signed trip report from a telephony, SMS or mail provider',
          description: `Same body as POST /v1/canaries/trips. Header ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>. Disabled unless areas.canaries.webhookSecret is set.`,
          security: [],
          response: { 200: AlertOut, 201: AlertOut },
        },
      },
      async (req, reply) => {
        if (!secret) throw problems.notFound('webhook (set areas.canaries.webhookSecret to enable it)');
        const raw = typeof req.body === 'string' ? req.body : '';
        if (!verify(secret, req.headers[SIGNATURE_HEADER] as string | undefined, raw, Date.now())) {
          throw new HttpProblem(
            401,
            'bad-signature',
            'Invalid signature',
            `Sign the raw body: ${SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "t.body")>, within ${TOLERANCE_S} s.`,
          );
        }
        let body: unknown;
        try {
          body = JSON.parse(raw);
        } catch {
          throw problems.badRequest('The body is not valid JSON.');
        }
        if (!check.Check(body)) {
          throw problems.validation(
            'The trip report is invalid.',
            [...check.Errors(body)].slice(0, 10).map((e) => ({ path: e.path, message: e.message })),
          );
        }
        const b = body;
        const at = b.at !== undefined ? Date.parse(b.at) : undefined;
        if (at !== undefined && !Number.isFinite(at)) throw problems.badRequest('"at" is not a valid ISO 8601 time.');
        const a = await ctx.services.canaries.tripByContact({ phone: b.phone, email: b.email, clientId: b.tripId, channel: b.channel, at, from: b.from });
        reply.code(a.duplicate ? 200 : 201);
        return { ...a, trip: { ...a.trip, at: new Date(a.trip.at).toISOString(), receivedAt: new Date(a.trip.receivedAt).toISOString() } };
      },
    );
  });
}
