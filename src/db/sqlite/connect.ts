import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { SqliteDialect } from 'kysely';

/** Opens the embedded database with the settings a write-heavy service wants. */
export function openSqlite(file: string, busyTimeoutMs = 5000): { raw: BetterSqlite3.Database; dialect: SqliteDialect } {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  raw.pragma('synchronous = NORMAL');
  // how long a writer waits for another process's write lock before SQLITE_BUSY (answered 503)
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  raw.pragma('foreign_keys = ON');
  return { raw, dialect: new SqliteDialect({ database: raw }) };
}
