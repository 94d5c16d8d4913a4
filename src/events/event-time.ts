// Event times must be ISO 8601 with an explicit offset: a time without one is ambiguous
// between the shop's server zone and UTC, and investigations compare times to the minute.
// Parsed by hand from the regex groups: it is on the ingestion hot path, and checking the
// fields directly also catches impossible dates (Feb 30) that Date.parse would roll over.
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/** Earliest accepted time: older history is almost certainly a unit or format mistake. */
export const EARLIEST_EVENT_MS = Date.UTC(2000, 0, 1);
/** Allowed clock skew into the future. */
export const MAX_FUTURE_SKEW_MS = 24 * 3600 * 1000;

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

export function parseEventTime(text: string, now = Date.now()): { ms: number } | { error: string } {
  const m = ISO_WITH_OFFSET.exec(text);
  if (!m) return { error: 'must be ISO 8601 with a time zone offset, e.g. 2016-07-14T10:21:00+08:00' };
  const y = +m[1]!,
    mo = +m[2]!,
    d = +m[3]!,
    h = +m[4]!,
    mi = +m[5]!,
    s = m[6] ? +m[6] : 0;
  const frac = m[7] ? Math.floor(Number('0.' + m[7]) * 1000) : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > (mo === 2 && isLeap(y) ? 29 : DAYS[mo - 1]!)) return { error: 'is not a valid calendar date' };
  if (h > 23 || mi > 59 || s > 59) return { error: 'is not a valid time of day' };
  let offsetMin = 0;
  if (!m[8]) {
    const oh = +m[10]!,
      om = +m[11]!;
    if (oh > 14 || om > 59) return { error: 'has an impossible time zone offset' };
    offsetMin = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, frac) - offsetMin * 60_000;
  if (ms < EARLIEST_EVENT_MS) return { error: 'is before 2000-01-01' };
  if (ms > now + MAX_FUTURE_SKEW_MS) return { error: 'is more than a day in the future' };
  return { ms };
}
