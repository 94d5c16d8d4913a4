import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SqliteDialect } from 'kysely';
import { CachedStatements } from './statement-cache.ts';

/**
 * The database holds sealed personal data, blind indexes and the access log: only the service's
 * user may read it. A new folder is created 0700 and the file 0600 (SQLite gives its -wal and -shm
 * files the database file's mode); an existing file left readable by others is tightened.
 */
function privateFile(file: string) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600, flag: 'wx' });
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f) && (statSync(f).mode & 0o077) !== 0) chmodSync(f, 0o600);
  }
}

/** Opens the embedded database with the settings a write-heavy service wants. */
export function openSqlite(file: string, busyTimeoutMs = 5000): { raw: BetterSqlite3.Database; dialect: SqliteDialect } {
  if (file !== ':memory:' && process.platform !== 'win32') privateFile(file);
  else if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
  raw.pragma('synchronous = NORMAL');
  // how long a writer waits for another process's write lock before SQLITE_BUSY (answered 503)
  raw.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  raw.pragma('foreign_keys = ON');
  return { raw, dialect: new SqliteDialect({ database: new CachedStatements(raw) }) };
}
