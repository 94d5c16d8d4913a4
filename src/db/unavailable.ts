// Is this error "the database is not there right now" (retry later) rather than a bug or bad
// input? Such errors are answered 503 with Retry-After instead of 500. Covers both dialects:
// PostgreSQL connection failures, shutdowns, server-side time limits and our client-side query
// timeout; SQLite's busy/locked (another writer held the file past busy_timeout).

/** SQLSTATE classes and codes that mean unavailable, not wrong. */
const PG_CODES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovery)
  '57014', // query_canceled: statement_timeout
  '25P03', // idle_in_transaction_session_timeout
  '55P03', // lock_not_available: lock_timeout
  '53300', // too_many_connections
  '53100', // disk_full
  '53200', // out_of_memory
  '40001', // serialization_failure, still failing after the bounded retry
  '40P01', // deadlock_detected, likewise
]);

const NET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** pg's own messages for a connection that failed, timed out or went away. */
const PG_CLIENT_MESSAGES = ['Connection terminated', 'timeout exceeded when trying to connect', 'Query read timeout', 'is not queryable', 'Connection ended'];

function one(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (PG_CODES.has(code) || code.startsWith('08') || NET_CODES.has(code)) return true;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
  }
  const message = (e as { message?: unknown }).message;
  return typeof message === 'string' && PG_CLIENT_MESSAGES.some((m) => message.includes(m));
}

export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (depth > 4 || !e || typeof e !== 'object') return false;
  if (one(e)) return true;
  // connecting to a host name with several addresses fails with an AggregateError of each attempt
  if (e instanceof AggregateError && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable((e as { cause?: unknown }).cause, depth + 1);
}

/** The SQLSTATE / errno code of such an error, for logs (never its message: it may quote values). */
export function unavailableCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Seconds a client should wait before retrying (Retry-After): long enough for a pool to reconnect. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
