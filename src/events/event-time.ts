// Event times must be ISO 8601 with an explicit offset: a time without one is ambiguous
// between the shop's server zone and UTC, and investigations compare times to the minute.
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Earliest accepted time: older history is almost certainly a unit or format mistake. */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
/** Allowed clock skew into the future. */
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;

export function parseEventTime(text: string, now = Date.now()): { ms: number } | { error: string } {
  if (!ISO_WITH_OFFSET.test(text)) return { error: 'must be ISO 8601 with a time zone offset, e.g. 2016-07-14T10:21:00+08:00' };
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return { error: 'is not a valid date and time' };
  // Date.parse rolls over impossible dates (Feb 30); compare the date part to catch that.
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  const check = new Date(Date.UTC(y!, m! - 1, d!));
  if (check.getUTCMonth() !== m! - 1 || check.getUTCDate() !== d) return { error: 'is not a valid calendar date' };
  if (ms < EARLIEST_EVENT_MS) return { error: 'is before 2000-01-01' };
  if (ms > now + MAX_FUTURE_SKEW_MS) return { error: 'is more than a day in the future' };
  return { ms };
}
