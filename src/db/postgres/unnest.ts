// Multi-row writes on PostgreSQL as one statement with one array parameter per column:
//   INSERT INTO t (a, b) SELECT * FROM unnest($1::text[], $2::int8[]) ...
// The statement text does not grow with the batch (no 60,000-parameter limit, one parse and plan),
// and rows are processed in array order — callers that need a lock order sort the rows first.
import { sql, type Kysely, type Transaction } from 'kysely';

/** Column → PostgreSQL type name (udt_name: text, int4, int8...), read from the catalog once per table. */
const typeCache = new WeakMap<object, Map<string, Promise<Map<string, string>>>>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: the table is named at run time
async function columnTypes(trx: Transaction<any> | Kysely<any>, cacheKey: object, table: string): Promise<Map<string, string>> {
  let perDb = typeCache.get(cacheKey);
  if (!perDb) typeCache.set(cacheKey, (perDb = new Map()));
  let types = perDb.get(table);
  if (!types) {
    types = sql<{
      column_name: string;
      udt_name: string;
    }>`SELECT column_name, udt_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`
      .execute(trx)
      .then((r) => new Map(r.rows.map((c) => [c.column_name, c.udt_name])));
    perDb.set(table, types);
    types.catch(() => perDb!.delete(table));
  }
  return types;
}

const MAX_ROWS = 50_000;

/**
 * Inserts rows (objects keyed by column) with one unnest statement per 50,000 rows; `suffix` is
 * an ON CONFLICT clause and/or RETURNING. Returns the rows the statements returned.
 */
export async function insertUnnest<R = unknown>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any schema: the table is named at run time
  trx: Transaction<any>,
  cacheKey: object,
  table: string,
  cols: readonly string[],
  rows: readonly object[],
  suffix = '',
): Promise<R[]> {
  if (rows.length === 0) return [];
  const types = await columnTypes(trx, cacheKey, table);
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += MAX_ROWS) {
    const part = rows.length <= MAX_ROWS ? rows : rows.slice(i, i + MAX_ROWS);
    const arrays = cols.map((c) => {
      const type = types.get(c);
      if (!type) throw new Error(`unnest insert: ${table}.${c} is not a column of the current schema`);
      const a = new Array(part.length);
      for (let j = 0; j < part.length; j++) a[j] = (part[j] as Record<string, unknown>)[c] ?? null;
      return sql`${a}::${sql.raw(type)}[]`;
    });
    const r =
      await sql<R>`INSERT INTO ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) SELECT * FROM unnest(${sql.join(arrays)}) ${sql.raw(suffix)}`.execute(
        trx,
      );
    out.push(...r.rows);
  }
  return out;
}
