import type { Kysely, ColumnDefinitionBuilder } from 'kysely';
import type { Dialect } from '../database.ts';

/** A migration written once for both dialects; `d` tells the few places where they differ. */
// Migrations see the database as it was at their time, not today's typed schema (Kysely's advice).
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface FanzhaMigration {
  up(db: Kysely<any>, d: DialectHelpers): Promise<void>;
  down?(db: Kysely<any>, d: DialectHelpers): Promise<void>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export interface DialectHelpers {
  dialect: Dialect;
  /** Auto-incrementing 64-bit primary key column type. */
  serial: 'integer' | 'bigserial';
  /** Epoch-millisecond column type. */
  epochMs: 'integer' | 'bigint';
  serialPk: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
}

export function dialectHelpers(dialect: Dialect): DialectHelpers {
  return {
    dialect,
    serial: dialect === 'sqlite' ? 'integer' : 'bigserial',
    epochMs: dialect === 'sqlite' ? 'integer' : 'bigint',
    serialPk: (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()),
  };
}
