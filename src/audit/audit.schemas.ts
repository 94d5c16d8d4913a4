import { Type } from '@sinclair/typebox';
import { ACCESS_FIELDS } from '../lib/fields.ts';

export const VerifyResponse = Type.Object({
  intact: Type.Boolean(),
  size: Type.Optional(Type.Integer()),
  head: Type.Optional(Type.String({ description: 'hex chain hash of the last entry (of a sharded log: the combined root of the shard heads)' })),
  shards: Type.Optional(Type.Integer({ description: 'hash chains verified' })),
  shard: Type.Optional(Type.Integer({ description: 'the shard (hash chain) where the log differs' })),
  checkpointsChecked: Type.Optional(Type.Integer()),
  checkpointsRejected: Type.Optional(Type.Integer({ description: 'stored checkpoints whose signature did not verify (ignored)' })),
  anchoredShards: Type.Optional(Type.Integer({ description: 'shards verified from a signed retention anchor (their older entries were pruned)' })),
  anchorsRejected: Type.Optional(Type.Integer({ description: 'stored retention anchors whose signature did not verify (ignored)' })),
  position: Type.Optional(Type.Integer({ description: 'first position in that shard where the log differs from what was appended' })),
  reason: Type.Optional(Type.String()),
});

export const FieldName = Type.Union(ACCESS_FIELDS.map((f) => Type.Literal(f)));

export const AccessEntry = Type.Object({
  position: Type.Integer({ description: 'position within its shard (hash chain)' }),
  shard: Type.Integer(),
  source: Type.String(),
  principalId: Type.String(),
  customerId: Type.Union([Type.String(), Type.Null()]),
  orderId: Type.Union([Type.String(), Type.Null()]),
  fields: Type.Array(Type.String()),
  purpose: Type.Union([Type.String(), Type.Null()]),
  channel: Type.String(),
  ticket: Type.Union([Type.String(), Type.Null()]),
  eventId: Type.Union([Type.String(), Type.Null()]),
  exportId: Type.Union([Type.String(), Type.Null()]),
  at: Type.String({ format: 'date-time' }),
  recordedAt: Type.String({ format: 'date-time' }),
});

export const AccessQuery = Type.Object({
  principalId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  orderId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  field: Type.Optional(FieldName),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  cursor: Type.Optional(Type.String({ pattern: '^\\d{1,15}$', description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

export const Checkpoint = Type.Object({
  size: Type.Integer(),
  hash: Type.String(),
  note: Type.String({ description: 'C2SP signed note' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const Alert = Type.Object({
  id: Type.String(),
  rule: Type.String(),
  principalId: Type.String(),
  severity: Type.String(),
  detail: Type.Record(Type.String(), Type.Unknown()),
  windowStart: Type.String({ format: 'date-time' }),
  windowEnd: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});
