import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { Investigation, InvestigationRequest, InvestigationSummary, InvestigationListQuery, type InvestigationRequestT } from './investigations.schemas.ts';

export async function investigationsRoutes(app: App, ctx: AppContext) {
  const svc = () => ctx.services.investigations;

  app.post(
    '/v1/investigations',
    {
      // 422: victims given by report or case without a reports area, or naming no known order
      config: { auth: { roles: ['analyst', 'admin'] }, problems: [422] },
      schema: {
        tags: ['leaks'],
        summary: 'Investigate a leak: which principal explains these victims?',
        description:
          'Give the victims directly ({customerId | orderId, contactAt, knewFields}), report ids or a case id. Returns ranked suspects with coverage, expected coverage, Holm-adjusted p-values and evidence, a verdict (attributed, inconclusive, consistent_with_account_takeover), not-excluded near-universal readers and the customers at risk.',
        body: InvestigationRequest,
        response: { 201: Investigation, 200: Investigation },
      },
    },
    async (req, reply) => {
      const [inv, created] = await svc().create(req.body as InvestigationRequestT, req.caller?.keyId ?? null);
      reply.code(created ? 201 : 200).header('location', `/v1/investigations/${inv.id}`);
      return inv;
    },
  );

  app.get(
    '/v1/investigations/:id',
    {
      config: { auth: { roles: ['analyst', 'admin'] } },
      schema: {
        tags: ['leaks'],
        summary: 'A stored investigation',
        params: Type.Object({ id: Type.String({ maxLength: 128 }) }),
        response: { 200: Investigation },
      },
    },
    async (req) => {
      const inv = await svc().get(req.params.id);
      if (!inv) throw problems.notFound('investigation');
      return inv;
    },
  );

  app.get(
    '/v1/investigations',
    {
      config: { auth: { roles: ['analyst', 'admin'] } },
      schema: {
        tags: ['leaks'],
        summary: 'Investigations, newest first by default: filter by verdict or case, sort by time or victims; the total matching is in X-Total-Count',
        querystring: InvestigationListQuery,
        response: { 200: Type.Array(InvestigationSummary) },
      },
    },
    async (req, reply) => {
      const page = await svc().page(req.query);
      reply.header('x-total-count', String(page.total));
      return page.items;
    },
  );
}
