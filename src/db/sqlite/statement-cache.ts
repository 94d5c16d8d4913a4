// better-sqlite3 compiles a statement on every `prepare`, and Kysely's SQLite driver prepares every
// query it runs: for the small, frequent queries of a request (the API-key revocation check, a
// lookup by id) compiling costs more than running. This keeps the last statements by SQL text and
// hands them back. better-sqlite3 is synchronous, so a statement finishes before the next call can
// use it — except one that a stream is still iterating (`busy`): that call gets a fresh statement.
// SQLite re-prepares a cached statement by itself when the schema changed under it.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Statements kept; the least recently used beyond this are dropped (and finalized by GC). */
const DEFAULT_SIZE = 256;

export class CachedStatements implements SqliteDatabase {
  private readonly cache = new Map<string, BetterSqlite3.Statement>();
  constructor(
    private readonly db: BetterSqlite3.Database,
    private readonly size = DEFAULT_SIZE,
  ) {}

  prepare(sql: string): SqliteStatement {
    const hit = this.cache.get(sql);
    if (hit !== undefined) {
      if (hit.busy) return this.db.prepare(sql) as unknown as SqliteStatement;
      // re-insert: a Map iterates in insertion order, so the first key is the least recently used
      this.cache.delete(sql);
      this.cache.set(sql, hit);
      return hit as unknown as SqliteStatement;
    }
    const stmt = this.db.prepare(sql);
    this.cache.set(sql, stmt);
    if (this.cache.size > this.size) this.cache.delete(this.cache.keys().next().value!);
    return stmt as unknown as SqliteStatement;
  }

  /** Statements held now (for tests). */
  get held(): number {
    return this.cache.size;
  }

  close(): void {
    this.cache.clear();
    this.db.close();
  }
}
