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

/**
 * How long to wait for the database before giving up, so an outage becomes a prompt 503 instead
 * of requests hanging for as long as the network holds packets. 0 means no limit.
 */
export interface PostgresTuning {
  /** Pool size per process. */
  poolMax: number;
  /** Establishing a connection (TCP + TLS + authentication). */
  connectTimeoutMs: number;
  /** Server side: one statement may run this long (PostgreSQL `statement_timeout`). */
  statementTimeoutMs: number;
  /** Server side: a transaction may sit idle this long (`idle_in_transaction_session_timeout`). */
  idleInTransactionTimeoutMs: number;
  /**
   * Client side: no answer to a query within this long (a network that holds packets) fails it and
   * closes that connection. Keep it above statementTimeoutMs so the server's own limit fires first.
   */
  queryTimeoutMs: number;
}

/**
 * Defaults for an online service: a request that waits 5 s for a connection is better answered
 * 503; ingest batches of 10,000 events take well under a second per statement, so 30 s leaves
 * a wide margin; a transaction idle for 60 s is a bug or a dead client holding locks.
 */
export const DEFAULT_TUNING: PostgresTuning = {
  poolMax: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 30_000,
  idleInTransactionTimeoutMs: 60_000,
  queryTimeoutMs: 35_000,
};

/** Maintenance work (migrations) that may legitimately run long: no statement or query limit. */
export const MAINTENANCE_TUNING: PostgresTuning = { ...DEFAULT_TUNING, poolMax: 1, statementTimeoutMs: 0, queryTimeoutMs: 0 };

/**
 * A client that closes its connection when a query times out on the client side: the query may
 * still be in flight, so the connection's protocol state is unknown and it must not go back to the
 * pool (pg would queue the next query behind the lost one). The pool drops closed clients.
 */
class TimeoutSafeClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    // A checked-out client whose connection breaks emits 'error' besides failing its query; the
    // pool listens only on idle clients, and an unheard 'error' would end the process.
    this.on('error', () => {});
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloaded query signature, passed through
  override query(...args: any[]): any {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const r = (super.query as (...a: any[]) => any)(...args);
    if (r && typeof r.then === 'function') {
      return r.catch((e: Error) => {
        if (e?.message === 'Query read timeout') (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        throw e;
      });
    }
    return r;
  }
}

export interface PostgresOptions {
  url: string;
  /** Schema to work in (tests use one schema each); default is the connection's search_path. */
  schema?: string;
  tuning?: Partial<PostgresTuning>;
}

export function openPostgres(opts: PostgresOptions): { pool: pg.Pool; dialect: PostgresDialect } {
  const t = { ...DEFAULT_TUNING, ...opts.tuning };
  const pool = new pg.Pool({
    connectionString: opts.url,
    Client: TimeoutSafeClient,
    max: t.poolMax,
    types,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
    connectionTimeoutMillis: t.connectTimeoutMs,
    statement_timeout: t.statementTimeoutMs,
    idle_in_transaction_session_timeout: t.idleInTransactionTimeoutMs,
    query_timeout: t.queryTimeoutMs,
    // a peer that vanished without a FIN (host down, cable cut) is noticed on idle connections too
    keepAlive: true,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  return { pool, dialect: new PostgresDialect({ pool }) };
}
