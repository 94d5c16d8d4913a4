// GET/PUT/DELETE /v1/settings/masking: the role × field grid of masking rules.
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { SETTINGS_EDITORS, SETTINGS_READERS, actorOf } from '../settings/settings.routes.ts';
import { VAULT_FIELDS } from './masking.ts';
import { FIELD_VIEWS, type MaskingRoles, type MaskingRules } from './masking.settings.ts';

// The same lists as FIELD_VIEWS, spelled out so the schema's static type keeps the literals.
const ValueView = Type.Union([Type.Literal('clear'), Type.Literal('mask'), Type.Literal('hide')]);
const AddressView = Type.Union([Type.Literal('clear'), Type.Literal('mask'), Type.Literal('region'), Type.Literal('hide')]);
const RoleViews = Type.Object(
  { name: ValueView, phone: ValueView, email: ValueView, address: AddressView },
  { additionalProperties: false, description: '"region" (province and city) exists only for addresses' },
);
const Roles = Type.Object({ agent: RoleViews, analyst: RoleViews, admin: RoleViews }, { additionalProperties: false });
const Example = Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]));

export const MaskingSettings = Type.Object({
  roles: Roles,
  defaults: Roles,
  /** False while the configuration's rules apply unchanged. */
  overridden: Type.Boolean(),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  fields: Type.Array(Type.String()),
  views: Type.Object(Object.fromEntries(VAULT_FIELDS.map((f) => [f, Type.Array(Type.String())]))),
  examples: Type.Object(Object.fromEntries(VAULT_FIELDS.map((f) => [f, Example])), { description: 'What each view makes of a made-up customer' }),
});

export const MaskingUpdate = Type.Object(
  {
    roles: Type.Object(
      { agent: Type.Optional(RoleViews), analyst: Type.Optional(RoleViews), admin: Type.Optional(RoleViews) },
      { additionalProperties: false, minProperties: 1 },
    ),
  },
  { additionalProperties: false },
);

export function maskingRoutes(rules: MaskingRules) {
  return async (app: App, _ctx: AppContext) => {
    const view = async () => {
      const [stored, m, roles] = await Promise.all([rules.stored(), rules.current(), rules.roles()]);
      return {
        roles,
        defaults: rules.defaultRoles(),
        overridden: !!stored,
        updatedAt: stored ? new Date(stored.updatedAt).toISOString() : null,
        fields: [...VAULT_FIELDS],
        views: Object.fromEntries(VAULT_FIELDS.map((f) => [f, [...FIELD_VIEWS[f]]])),
        examples: rules.examples(m),
      };
    };
    const tags = ['settings'];

    app.get(
      '/v1/settings/masking',
      {
        config: SETTINGS_READERS,
        schema: { tags, summary: 'Masking rules: what each role sees of each field, with examples', response: { 200: MaskingSettings } },
      },
      view,
    );

    app.put(
      '/v1/settings/masking',
      {
        config: SETTINGS_EDITORS,
        schema: {
          tags,
          summary: "Change the masking rules of some roles (applies to every node's masked views within seconds; recorded)",
          body: MaskingUpdate,
          response: { 200: MaskingSettings },
        },
      },
      async (req) => {
        await rules.update(req.body.roles as Partial<MaskingRoles>, actorOf(req.caller!));
        return view();
      },
    );

    app.delete(
      '/v1/settings/masking',
      { config: SETTINGS_EDITORS, schema: { tags, summary: "Back to the configuration file's masking rules (recorded)", response: { 200: MaskingSettings } } },
      async (req) => {
        await rules.reset(actorOf(req.caller!));
        return view();
      },
    );
  };
}
