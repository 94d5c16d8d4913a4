import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import {
  CustomerView,
  DetokenizeBody,
  DetokenizeResponse,
  IdParams,
  LookupQuery,
  OrderView,
  RevealBody,
  RevealResponse,
  TokenizeBody,
  TokenizeResponse,
} from './vault.schemas.ts';

const readers = { auth: { roles: ['agent', 'analyst', 'admin'] as const } };

export async function vaultRoutes(app: App, ctx: AppContext) {
  const vault = ctx.services.vault;

  app.get(
    '/v1/customers/:id',
    {
      config: readers,
      schema: { tags: ['vault'], summary: "A customer as the caller's role may see it (recorded)", params: IdParams, response: { 200: CustomerView } },
    },
    async (req) => vault.customerView(req.caller!, req.params.id),
  );

  app.get(
    '/v1/customers',
    {
      config: readers,
      schema: {
        tags: ['vault'],
        summary: 'Find customers by phone or e-mail through the blind index (masked, recorded)',
        description: 'Prefer POST /v1/customers/lookup: it keeps the value out of URLs and proxy logs.',
        querystring: LookupQuery,
        response: { 200: Type.Object({ items: Type.Array(CustomerView) }) },
      },
    },
    async (req) => ({ items: await vault.lookup(req.caller!, req.query) }),
  );

  app.post(
    '/v1/customers/lookup',
    {
      config: readers,
      schema: {
        tags: ['vault'],
        summary: 'Find customers by phone or e-mail (body)',
        body: LookupQuery,
        response: { 200: Type.Object({ items: Type.Array(CustomerView) }) },
      },
    },
    async (req) => ({ items: await vault.lookup(req.caller!, req.body) }),
  );

  app.get(
    '/v1/orders/:id',
    {
      config: readers,
      schema: {
        tags: ['vault'],
        summary: "An order with its customer as the caller's role may see it (recorded)",
        params: IdParams,
        response: { 200: OrderView },
      },
    },
    async (req) => {
      const o = await vault.orderView(req.caller!, req.params.id);
      return {
        ...o,
        placedAt: new Date(o.placedAt).toISOString(),
        refunds: o.refunds.map((r) => ({ ...r, requestedAt: r.requestedAt === null ? null : new Date(r.requestedAt).toISOString() })),
      };
    },
  );

  app.post(
    '/v1/customers/:id/reveal',
    {
      config: { ...readers, problems: [429] }, // the reveal quota
      schema: {
        tags: ['vault'],
        summary: 'Reveal clear values with a purpose (recorded, quota per role per hour and day)',
        params: IdParams,
        body: RevealBody,
        response: { 200: RevealResponse },
      },
    },
    async (req) => vault.reveal(req.caller!, req.params.id, req.body),
  );

  app.post(
    '/v1/tokenize',
    {
      config: { auth: { roles: ['ingest', 'admin'] as const } },
      schema: { tags: ['vault'], summary: 'Exchange personal values for tokens (tok_…)', body: TokenizeBody, response: { 200: TokenizeResponse } },
    },
    async (req) => vault.tokenize(req.body.items),
  );

  app.post(
    '/v1/detokenize',
    {
      config: { auth: { roles: ['ingest', 'admin'] as const } },
      schema: {
        tags: ['vault'],
        summary: 'Clear values for tokens, recorded as accesses of the given principal',
        body: DetokenizeBody,
        response: { 200: DetokenizeResponse },
      },
    },
    async (req) => vault.detokenize(req.caller!, req.body),
  );
}
