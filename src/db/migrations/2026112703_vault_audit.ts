// Vault keys and tokens; the access log becomes a keyed hash chain (pos, hash, ticket columns, a
// head row, signed checkpoints) and access alerts.
import type { FanzhaMigration } from './migration.ts';
import { GENESIS_HASH } from '../../audit/chain.ts';

export const vaultAudit: FanzhaMigration = {
  async up(db, d) {
    const ms = d.epochMs;
    await db.schema
      .createTable('vault_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('wrapped', 'text', (c) => c.notNull())
      .addColumn('wrap_kid', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('rotated_at', ms)
      .execute();
    await db.schema
      .createTable('vault_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value_enc', 'text', (c) => c.notNull())
      .addColumn('value_bidx', 'text', (c) => c.notNull())
      .addColumn('customer_id', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('vault_tokens_kind_bidx').unique().on('vault_tokens').columns(['kind', 'value_bidx']).execute();

    await db.schema.alterTable('access_log').addColumn('pos', d.epochMs).execute();
    await db.schema.alterTable('access_log').addColumn('hash', 'text').execute();
    await db.schema.alterTable('access_log').addColumn('ticket', 'text').execute();
    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('size', ms, (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('legacy_seq', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();

    // Rows written before this migration are chained by the audit area at its first start (the
    // chain is keyed by a vault secret the migration does not have); legacy_seq bounds them so a
    // row slipped in later without a position is still reported as an insertion.
    const max = await db
      .selectFrom('access_log')
      .select((eb) => eb.fn.max('seq').as('m'))
      .executeTakeFirst();
    await db
      .insertInto('audit_head')
      .values({ id: 1, size: 0, hash: GENESIS_HASH, legacy_seq: Number(max?.m ?? 0), updated_at: Date.now() })
      .execute();
    await db.schema.createIndex('access_log_pos').unique().on('access_log').column('pos').execute();

    await db.schema
      .createTable('audit_checkpoints')
      .addColumn('size', ms, (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('key_name', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('audit_alerts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('principal_id', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
      .addColumn('window_start', ms, (c) => c.notNull())
      .addColumn('window_end', ms, (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_alerts_principal').on('audit_alerts').columns(['principal_id', 'created_at']).execute();
  },
};
