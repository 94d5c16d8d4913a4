// Request and response schemas of the reports area (validation, serialisation, OpenAPI).
import { Type, type Static, type TUnion, type TLiteral } from '@sinclair/typebox';
import { ACCESS_FIELDS } from '../lib/fields.ts';
import { RISK_TIERS, TRUST_LEVELS } from './risk.ts';
import { defaulted } from '../lib/defaulted.ts';

export const CHANNELS = ['call', 'sms', 'qq', 'wechat', 'email', 'app', 'website'] as const;
export const SCRIPT_TAGS = [
  'refund-problem',
  'compensation',
  'order-stuck',
  'membership-cancel',
  'screen-share',
  'quality-issue',
  'parcel-lost',
  'account-frozen',
  'credit-score',
  'loan',
  'fake-official',
  'other',
] as const;
export const EXPOSED = ['card-number', 'card-password', 'id-number', 'sms-code', 'face-video', 'screen-share'] as const;
export const PAYMENT_METHODS = ['bank-transfer', 'alipay', 'wechat-pay', 'unionpay', 'card', 'loan-app', 'gift-card', 'crypto', 'other'] as const;
export const SOCIAL_PLATFORMS = ['qq', 'wechat', 'weibo', 'douyin', 'kuaishou', 'telegram', 'other'] as const;
export const EVIDENCE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/pdf', 'audio/mpeg', 'audio/mp4', 'text/plain'] as const;
export const MAX_EVIDENCE_BYTES = 2 * 1024 * 1024;
export const MAX_EVIDENCE_FILES = 4;

/** A string enum as a union of literals, keeping the literal types for handlers. */
type Lits<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K] & string> };
export const lit = <T extends readonly string[]>(xs: T) => Type.Union(xs.map((x) => Type.Literal(x)) as unknown as Lits<T>) as TUnion<Lits<T>>;
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });
const list = <T extends import('@sinclair/typebox').TSchema>(item: T, max: number) => defaulted(Type.Array(item, { maxItems: max, default: [] }));

export const Payment = Type.Object(
  {
    amount: Type.Number({ minimum: 0.01, maximum: 1e10, description: 'Major units (yuan), at least one fen' }),
    currency: defaulted(Type.String({ pattern: '^[A-Z]{3}$', default: 'CNY' })),
    method: lit(PAYMENT_METHODS),
    payeeName: Type.Optional(Text(200)),
    payeeAccount: Type.Optional(Text(64)),
    institution: Type.Optional(Text(100)),
    merchantId: Type.Optional(Text(64)),
    txnRef: Type.Optional(Text(64)),
    paidAt: Type.Optional(Text(40)),
  },
  { additionalProperties: false },
);

export const ReportInput = Type.Object(
  {
    clientId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s\\u0000-\\u001f]+$', description: 'Idempotency key chosen by the submitter' }),
    ),
    contactAt: Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 with offset' }),
    channel: lit(CHANNELS),
    callerNumbers: list(Text(40), 10),
    smsSender: Type.Optional(Text(40)),
    claimedIdentity: Type.Optional(Text(200)),
    knewFields: list(lit(ACCESS_FIELDS), ACCESS_FIELDS.length),
    scriptTags: list(lit(SCRIPT_TAGS), SCRIPT_TAGS.length),
    orderIds: list(Type.String({ minLength: 1, maxLength: 128, pattern: '^[^\\s\\u0000-\\u001f]+$' }), 20),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'Signed-in customer (authenticated ingest/agent callers only)' })),
    urls: list(Text(2048), 20),
    apps: list(Text(100), 10),
    socialAccounts: list(Type.Object({ platform: lit(SOCIAL_PLATFORMS), handle: Text(100) }, { additionalProperties: false }), 10),
    payments: list(Payment, 20),
    exposed: list(lit(EXPOSED), EXPOSED.length),
    narrative: Type.Optional(Text(5000)),
    evidence: list(
      Type.Object(
        {
          contentType: lit(EVIDENCE_TYPES),
          dataBase64: Type.String({ minLength: 4, maxLength: Math.ceil((MAX_EVIDENCE_BYTES * 4) / 3) + 4, pattern: '^[A-Za-z0-9+/]+={0,2}$' }),
        },
        { additionalProperties: false },
      ),
      MAX_EVIDENCE_FILES,
    ),
  },
  { additionalProperties: false },
);
export type ReportInputT = Static<typeof ReportInput>;

export const PublicAck = Type.Object({ reference: Type.String(), message: Type.String() });
export const StaffAck = Type.Object({ reportId: Type.String(), caseId: Type.String(), reference: Type.String(), trust: lit(TRUST_LEVELS) });

export const ReportView = Type.Object({
  id: Type.String(),
  reference: Type.String(),
  caseId: Type.String(),
  trust: lit(TRUST_LEVELS),
  channel: Type.String(),
  contactAt: Type.String(),
  receivedAt: Type.String(),
  customerId: Type.Union([Type.String(), Type.Null()]),
  orderIds: Type.Array(Type.String()),
  anonymousOrderRefs: Type.Integer(),
  knewFields: Type.Array(Type.String()),
  scriptTags: Type.Array(Type.String()),
  exposed: Type.Array(Type.String()),
  claimedIdentity: Type.Union([Type.String(), Type.Null()]),
  narrative: Type.Union([Type.String(), Type.Null()]),
  apps: Type.Array(Type.String()),
  loss: Type.Number(),
  currency: Type.String(),
  payments: Type.Array(
    Type.Object({
      amount: Type.Number(),
      currency: Type.String(),
      method: Type.String(),
      payeeName: Type.Union([Type.String(), Type.Null()]),
      payeeAccount: Type.Union([Type.String(), Type.Null()]),
      institution: Type.Union([Type.String(), Type.Null()]),
      merchantId: Type.Union([Type.String(), Type.Null()]),
      txnRef: Type.Union([Type.String(), Type.Null()]),
      paidAt: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  indicators: Type.Array(
    Type.Object({
      kind: Type.String(),
      value: Type.String(),
      linked: Type.Boolean(),
      official: Type.Boolean(),
      unlinkedReason: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  evidence: Type.Array(Type.Object({ id: Type.String(), sha256: Type.String(), contentType: Type.String(), size: Type.Integer() })),
});

export const WARNING_KINDS = ['phone', 'domain', 'sms_sender', 'merchant', 'institution'] as const;
export const WarningEntryInput = Type.Object({ kind: lit(WARNING_KINDS), value: Text(200), label: Type.Optional(Text(200)) }, { additionalProperties: false });
export const WarningEntry = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  value: Type.String(),
  label: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const Counted = Type.Array(Type.Object({ key: Type.String(), reports: Type.Integer(), loss: Type.Number() }));
export const CaseStats = Type.Object({
  id: Type.String(),
  reports: Type.Integer(),
  victims: Type.Integer(),
  loss: Type.Object({ currency: Type.String(), total: Type.Number(), median: Type.Number(), max: Type.Number() }),
  lossByCurrency: Type.Array(Type.Object({ currency: Type.String(), total: Type.Number() })),
  firstContact: Type.Union([Type.String(), Type.Null()]),
  lastContact: Type.Union([Type.String(), Type.Null()]),
  timeline: Type.Array(Type.Object({ day: Type.String(), reports: Type.Integer(), loss: Type.Number() })),
  byChannel: Counted,
  byPaymentMethod: Counted,
  byScript: Counted,
  knewFields: Counted,
  topIndicators: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), reports: Type.Integer(), tier: lit(RISK_TIERS) })),
  topPayees: Type.Array(
    Type.Object({
      payee: Type.String(),
      account: Type.Union([Type.String(), Type.Null()]),
      institution: Type.Union([Type.String(), Type.Null()]),
      amount: Type.Number(),
      payments: Type.Integer(),
      currency: Type.String(),
    }),
  ),
  merges: Type.Array(Type.Object({ from: Type.String(), via: Type.String(), at: Type.String() })),
  /** Set when this case was split off another case (the other kept its id). */
  splitFrom: Type.Union([Type.String(), Type.Null()]),
  /** Splits this case took part in: what split, through which over-correlated value, why, when. */
  splits: Type.Array(
    Type.Object({
      from: Type.String(),
      into: Type.String(),
      via: Type.String(),
      viaValue: Type.String(),
      reason: Type.String(),
      reports: Type.Integer(),
      at: Type.String(),
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

export const IndicatorRisk = Type.Object({
  kind: Type.String(),
  value: Type.String(),
  tier: lit(RISK_TIERS),
  reports: Type.Integer(),
  official: Type.Boolean(),
  cases: Type.Array(Type.String()),
});

export const Victim = Type.Object({
  customerId: Type.Optional(Type.String()),
  orderId: Type.Optional(Type.String()),
  contactAt: Type.String(),
  knewFields: Type.Array(Type.String()),
  reportId: Type.Optional(Type.String()),
});
