import pg from 'pg';
import { PostgresDialect } from 'kysely';

// int8 (bigint) holds epoch milliseconds and serial ids; both fit a JS number exactly.
const types = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's own signature
  getTypeParser(oid: number, format?: any) {
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

export interface PostgresOptions {
  url: string;
  /** Schema to work in (tests use one schema each); default is the connection's search_path. */
  schema?: string;
  max?: number;
}

export function openPostgres(opts: PostgresOptions): { pool: pg.Pool; dialect: PostgresDialect } {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.max ?? 10,
    types,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { pool, dialect: new PostgresDialect({ pool }) };
}
