// When to try a notice again: exponential backoff with full jitter, quiet hours in the
// customer's local time, and the per-customer rate limit. Pure functions, tested on their own.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** "Full jitter" backoff: uniform in [0, min(max, base·2^(attempt-1))], at least base/2. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, rand: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(Math.floor(baseMs / 2), Math.floor(rand() * ceiling));
}

// Countries with one time zone (or one that almost all of the population uses). Others fall back
// to the configured zone, which is the shop's own market.
const COUNTRY_ZONES: Record<string, string> = {
  CN: 'Asia/Shanghai',
  HK: 'Asia/Hong_Kong',
  MO: 'Asia/Macau',
  TW: 'Asia/Taipei',
  SG: 'Asia/Singapore',
  MY: 'Asia/Kuala_Lumpur',
  JP: 'Asia/Tokyo',
  KR: 'Asia/Seoul',
  TH: 'Asia/Bangkok',
  VN: 'Asia/Ho_Chi_Minh',
  PH: 'Asia/Manila',
  IN: 'Asia/Kolkata',
  GB: 'Europe/London',
  GG: 'Europe/London',
  JE: 'Europe/London',
  IM: 'Europe/London',
  IE: 'Europe/Dublin',
  DE: 'Europe/Berlin',
  FR: 'Europe/Paris',
  IT: 'Europe/Rome',
  ES: 'Europe/Madrid',
  NL: 'Europe/Amsterdam',
  NZ: 'Pacific/Auckland',
  AE: 'Asia/Dubai',
};

export function timeZoneForPhone(e164: string | undefined, fallback: string): string {
  if (!e164) return fallback;
  const c = parsePhoneNumberFromString(e164)?.country;
  return (c && COUNTRY_ZONES[c]) || fallback;
}

// Building an Intl formatter costs about a millisecond: keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f)
    formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })));
  return f;
}

/** If `now` is inside quiet hours [start, end) of `timeZone`, the time they end; otherwise null. */
export function quietHoursEnd(now: number, q: { start: number; end: number; timeZone: string }): number | null {
  if (q.start === q.end) return null;
  const parts = formatter(q.timeZone).formatToParts(new Date(now));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const minute = get('hour') * 60 + get('minute');
  const start = q.start * 60;
  const end = q.end * 60;
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const minutesLeft = (end - minute + 1440) % 1440;
  return now + minutesLeft * 60_000 - get('second') * 1000 - (now % 1000);
}
