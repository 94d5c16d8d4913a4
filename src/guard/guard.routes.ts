import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { EvaluateBody, EvaluateResponse, ResultBody, ResultResponse, StatsQuery, StatsResponse } from './guard.schemas.ts';

const BUCKETS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export async function guardRoutes(app: App, ctx: AppContext) {
  const guard = () => ctx.services.guard;
  app.post(
    '/v1/logins/evaluate',
    {
      config: { auth: { roles: ['ingest'] } },
      schema: {
        tags: ['logins'],
        summary: 'Decide on a login attempt before checking the password',
        description:
          'Answers allow, challenge (show a CAPTCHA or send an OTP) or deny (with retryAfter), with reason codes. The answer never depends on whether the username exists.',
        body: EvaluateBody,
        response: { 200: EvaluateResponse },
      },
    },
    async (req) => guard().evaluate(req.body),
  );

  app.post(
    '/v1/logins/result',
    {
      config: { auth: { roles: ['ingest', 'admin'] } },
      schema: {
        tags: ['logins'],
        summary: 'Report the outcome of the password check',
        description: 'Feeds the counters; on success may ask for a password reset (breached password) and notify the account owner.',
        body: ResultBody,
        response: { 200: ResultResponse },
      },
    },
    async (req) => guard().result(req.body),
  );

  app.get(
    '/v1/logins/stats',
    {
      config: { auth: { roles: ['analyst', 'admin'] } },
      schema: {
        tags: ['logins'],
        summary: 'Decisions over time and the networks failing most',
        querystring: StatsQuery,
        response: { 200: StatsResponse },
      },
    },
    async (req) => {
      const to = req.query.to ? Date.parse(req.query.to) : Date.now();
      const from = req.query.from ? Date.parse(req.query.from) : to - 86_400_000;
      if (!(from < to)) throw problems.badRequest('from must be before to');
      return ctx.services.guardStats.query(from, to, BUCKETS[req.query.bucket ?? 'hour'], req.query.top ?? 20);
    },
  );
}
