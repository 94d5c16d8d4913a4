// Times in the shop's own time zone, with the offset shown: every document a person reads (the
// regulator report, the post-mortem, the police case file) says "2026-09-01 16:00:00 +08:00", never
// a bare UTC instant the reader must convert, and never a local time without its offset.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Intl knows the zone (the config check uses it). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** "YYYY-MM-DD HH:mm:ss +08:00" for an epoch-ms or ISO time; unparseable input is returned as is. */
export function zonedTime(at: number | string, timeZone: string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(ms)) return String(at);
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} ${offset}`;
}

/** "Asia/Shanghai, UTC+08:00" for a document's header (the offset at `at`). */
export function zoneLabel(timeZone: string, at: number = Date.now()): string {
  return `${timeZone}, UTC${zonedTime(at, timeZone).slice(20)}`;
}
