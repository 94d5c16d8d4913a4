// The shop's own settings (config file `areas.shop`): its time zone, in which every document
// fanzha writes for people (incident reports, police case files) states its times.
import { isTimeZone } from '../lib/zoned-time.ts';

export const DEFAULT_SHOP_TIME_ZONE = 'Asia/Shanghai';

export function shopTimeZone(areas: Record<string, unknown>): string {
  const tz = ((areas.shop ?? {}) as { timeZone?: string }).timeZone ?? DEFAULT_SHOP_TIME_ZONE;
  if (!isTimeZone(tz)) throw new Error(`areas.shop.timeZone "${tz}" is not an IANA time zone (e.g. Asia/Shanghai)`);
  return tz;
}
