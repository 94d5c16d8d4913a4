// Kysely's migrator looks for its own tables through the dialect's introspector, and PostgreSQL's
// reads the catalog of every schema in the database, with its columns and types. Where other
// schemas live beside ours (other tenants, other test files), a schema dropped, a column added or
// a partition attached during that read fails our migration ("schema … does not exist", "could not
// open relation"), though nothing of ours changed. The migrator needs only the names of our own
// schema's tables, so the dialect it gets reads exactly those: one catalog query filtered to the
// connection's current schema, with no per-relation lookups that a concurrent change could break.
import { PostgresDialect, sql, type DatabaseIntrospector, type DatabaseMetadata, type Kysely, type SchemaMetadata, type TableMetadata } from 'kysely';

export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string | null }>`SELECT current_schema() AS name`.execute(this.db);
    return rows.flatMap((r) => (r.name === null ? [] : [{ name: r.name }]));
  }

  /** The current schema's tables and views, by name (the migrator needs no columns). */
  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string; schema: string; isView: boolean }>`
      SELECT c.relname AS name, n.nspname AS schema, c.relkind IN ('v', 'm') AS "isView"
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')`.execute(this.db);
    return rows.map((r) => ({ name: r.name, schema: r.schema, isView: r.isView, columns: [] }));
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}

/** PostgreSQL for the migrator: the same driver, an introspector that sees only the current schema. */
export class MigrationDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new CurrentSchemaIntrospector(db);
  }
}
