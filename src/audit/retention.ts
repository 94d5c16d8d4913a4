// How long the access log is kept, and where a prune may cut it. The floor is the law's, not a
// preference, and a configuration below it stops the start (audit.service.ts auditConfig):
// - Cybersecurity Law of the PRC (网络安全法, in force 2017-06-01), art. 21(3): network operators
//   take technical measures to monitor and record network operation and security events "and, as
//   required, retain the relevant network logs for no less than six months" (留存相关的网络日志不少于
//   六个月). An access log of staff reading customers' data is such a log.
// - Six months is up to 184 days (e.g. July to December), so a day count alone could fall short:
//   a month is removed only when it ended at least `retentionDays` (≥ 183) days AND six calendar
//   months ago, whichever is earlier. Every entry removed is older than both.
// - PIPL (个人信息保护法) art. 56: the impact-assessment report and the record of processing for the
//   processing listed in art. 55 (sensitive data, entrusting processing, providing data to other
//   processors — e.g. exports to couriers —, cross-border transfers…) are kept at least three
//   years. If this log is your art. 56 record, set retentionDays to 1,096 or more; fanzha cannot
//   tell, so the hard floor stays the six months every operator owes. PIPL art. 19 (keep personal
//   information no longer than the purpose needs) is why pruning exists at all.
import { addMonths, monthStart } from './partitions.ts';

export const MIN_RETENTION_DAYS = 183;
export const MIN_RETENTION_MONTHS = 6;
export const DAY_MS = 86_400_000;

export class RetentionConfigError extends Error {
  override name = 'RetentionConfigError';
}

/** Refuses a retention below the legal floor, naming the law, so the operator sees why at start. */
export function checkRetentionDays(days: number): void {
  if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS)
    throw new RetentionConfigError(
      `areas.audit.retentionDays is ${days}: the access log must be kept at least ${MIN_RETENTION_DAYS} days ` +
        '(Cybersecurity Law of the PRC art. 21: network logs are retained no less than six months). ' +
        `Set ${MIN_RETENTION_DAYS} or more (1,096 if the log is your PIPL art. 56 processing record), or leave it unset.`,
    );
}

/**
 * The cut: entries recorded before it may be removed. A UTC month start, at or before both
 * `now - days` and six calendar months before the current month began.
 */
export function retentionCut(now: number, days: number): number {
  return Math.min(monthStart(now - days * DAY_MS), addMonths(now, -MIN_RETENTION_MONTHS));
}
