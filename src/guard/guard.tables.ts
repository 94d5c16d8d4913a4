// Guard's tables: aggregated decision statistics for the console (no personal data: counts per
// minute, and per /24 or /56 network per day).
export interface GuardStatsMinutesTable {
  minute: number;
  allow: number;
  challenge: number;
  deny: number;
}

export interface GuardPrefixDaysTable {
  day: number;
  prefix: string;
  failures: number;
  challenged: number;
  denied: number;
}

declare module '../db/schema.ts' {
  interface DB {
    guard_stats_minutes: GuardStatsMinutesTable;
    guard_prefix_days: GuardPrefixDaysTable;
  }
}
