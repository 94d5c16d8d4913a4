import { Type } from '@sinclair/typebox';
import { VAULT_FIELDS } from './masking.ts';
import { TOKEN_KINDS } from './vault.service.ts';

const Id = Type.String({ minLength: 1, maxLength: 128 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const AddressView = Type.Object({
  province: Type.String(),
  city: Type.String(),
  district: Type.Optional(Type.String()),
  line: Type.Optional(Type.String()),
});

export const CustomerView = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  address: Type.Union([AddressView, Type.Null()]),
  lang: Nullable(Type.String()),
  masked: Type.Boolean({ description: 'true when any field is masked or hidden for this role' }),
});

export const OrderView = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  items: Type.Array(Type.Unknown()),
  total: Type.Number(),
  currency: Type.String(),
  placedAt: Type.String({ format: 'date-time' }),
  refunds: Type.Array(Type.Object({ id: Type.String(), state: Type.String(), requestedAt: Nullable(Type.String({ format: 'date-time' })) })),
  customer: Type.Union([CustomerView, Type.Null()]),
});

export const IdParams = Type.Object({ id: Id });

const Purpose = Type.String({ minLength: 3, maxLength: 200, description: 'why the clear value is needed (no personal data)' });
const Ticket = Type.String({ pattern: '^[A-Za-z0-9._:#/-]{1,64}$', description: 'ticket or case reference' });

export const RevealBody = Type.Object({
  fields: Type.Array(Type.Union(VAULT_FIELDS.map((f) => Type.Literal(f))), { minItems: 1, uniqueItems: true }),
  purpose: Purpose,
  ticket: Type.Optional(Ticket),
});

export const RevealResponse = Type.Object({
  id: Type.String(),
  fields: Type.Object({
    name: Type.Optional(Nullable(Type.String())),
    phone: Type.Optional(Nullable(Type.String())),
    email: Type.Optional(Nullable(Type.String())),
    address: Type.Optional(Type.Union([AddressView, Type.Null()])),
  }),
  purpose: Type.String(),
  ticket: Nullable(Type.String()),
});

export const LookupQuery = Type.Object({
  phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
});

export const TokenizeBody = Type.Object({
  items: Type.Array(
    Type.Object({
      kind: Type.Union(TOKEN_KINDS.map((k) => Type.Literal(k))),
      value: Type.String({ minLength: 1, maxLength: 1000 }),
      customerId: Type.Optional(Id),
    }),
    { minItems: 1, maxItems: 1000 },
  ),
});

export const TokenizeResponse = Type.Object({
  tokens: Type.Array(Nullable(Type.String()), { description: 'one per item, null where the item was invalid' }),
  invalid: Type.Array(Type.Integer(), { description: 'indexes of invalid items (values are never echoed)' }),
});

export const DetokenizeBody = Type.Object({
  tokens: Type.Array(Type.String({ pattern: '^tok_[A-Za-z0-9_-]{10,64}$' }), { minItems: 1, maxItems: 100 }),
  principalId: Type.Optional(
    Type.String({ minLength: 1, maxLength: 128, description: 'the staff account or system the shop acts for (required unless the key has a principal)' }),
  ),
  purpose: Purpose,
  ticket: Type.Optional(Ticket),
});

export const DetokenizeResponse = Type.Object({
  values: Type.Array(Type.Object({ token: Type.String(), kind: Nullable(Type.String()), value: Nullable(Type.String()) })),
});
