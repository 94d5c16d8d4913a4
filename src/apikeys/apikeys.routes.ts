import type { App } from '../http/app.types.ts';
import { Type } from '@sinclair/typebox';
import { ROLES } from '../http/roles.ts';
import { problems } from '../http/problem.ts';
import type { AppContext } from '../app/context.ts';

const KeyInfo = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  principalId: Type.Union([Type.String(), Type.Null()]),
  prefix: Type.String(),
  createdAt: Type.String(),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
});

export async function apiKeysRoutes(app: App, ctx: AppContext) {
  const keys = ctx.services.apiKeys;
  const admin = { auth: { roles: ['admin'] as const } };

  app.get(
    '/v1/keys',
    { config: admin, schema: { tags: ['keys'], summary: 'List API keys', response: { 200: Type.Object({ items: Type.Array(KeyInfo) }) } } },
    async () => ({
      items: await keys.list(),
    }),
  );

  app.post(
    '/v1/keys',
    {
      config: admin,
      schema: {
        tags: ['keys'],
        summary: 'Create an API key (the key is shown only in this response)',
        body: Type.Object({
          role: Type.Union(ROLES.map((r) => Type.Literal(r))),
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          principalId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
        }),
        response: { 201: Type.Object({ key: Type.String(), info: KeyInfo }) },
      },
    },
    async (req, reply) => {
      const body = req.body as { role: string; name?: string; principalId?: string };
      reply.code(201);
      return keys.create(body);
    },
  );

  app.delete(
    '/v1/keys/:id',
    {
      config: admin,
      schema: { tags: ['keys'], summary: 'Revoke an API key', params: Type.Object({ id: Type.String({ maxLength: 128 }) }), response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      const { id } = req.params as { id: string };
      if (!(await keys.revoke(id))) throw problems.notFound('active API key');
      reply.code(204);
    },
  );
}
