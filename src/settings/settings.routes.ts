import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import type { Caller } from '../http/roles.ts';
import type { Actor } from './settings.repository.ts';

/** Who may read settings and their history, and who may change them. */
export const SETTINGS_READERS = { auth: { roles: ['analyst', 'admin'] as const } };
export const SETTINGS_EDITORS = { auth: { roles: ['admin'] as const } };

export const actorOf = (c: Caller): Actor => ({ keyId: c.keyId, keyName: c.keyName, role: c.role });

export const SettingsChange = Type.Object({
  id: Type.String(),
  key: Type.String(),
  before: Type.Unknown({ description: 'The stored value before the change; null when the default applied' }),
  after: Type.Unknown({ description: 'The stored value after the change; null when reset to the default' }),
  by: Type.Object({
    keyId: Type.Union([Type.String(), Type.Null()]),
    keyName: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
  }),
  at: Type.String({ format: 'date-time' }),
});

export async function settingsRoutes(app: App, ctx: AppContext) {
  const store = ctx.services.settings;
  app.get(
    '/v1/settings/changes',
    {
      config: SETTINGS_READERS,
      schema: {
        tags: ['settings'],
        summary: 'History of settings changes (who, when, before and after), newest first',
        querystring: Type.Object({
          prefix: Type.Optional(Type.String({ maxLength: 100, description: 'Only keys starting with this, e.g. "vault.masking" or "notify.template."' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          before: Type.Optional(Type.String({ format: 'date-time', description: 'Page: changes strictly before this time' })),
        }),
        response: { 200: Type.Object({ items: Type.Array(SettingsChange) }) },
      },
    },
    async (req) => {
      const q = req.query;
      const items = await store.changes({ prefix: q.prefix, limit: q.limit ?? 50, beforeAt: q.before ? Date.parse(q.before) : undefined });
      return { items: items.map((c) => ({ ...c, at: new Date(c.at).toISOString() })) };
    },
  );
}
