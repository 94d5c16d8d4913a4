// Every table has one owning area (the directory under src/ whose files may read or write it).
// Other areas go through the owner's service or published relations; the ownership test
// (src/testing/ownership.test.ts) fails when a file outside the owner touches a table. The
// `satisfies` clause makes this list complete: a table added to DB without an owner does not compile.
import type { DB } from './schema.ts';

export const TABLE_OWNERS = {
  api_keys: 'apikeys',
  events: 'events',
  // The shop's core tables: written by ingestion through src/shop/shop.ingest.ts
  customers: 'shop',
  orders: 'shop',
  refunds: 'shop',
  principals: 'shop',
  exports: 'shop',
  logins: 'shop',
  access_log: 'audit',
  audit_head: 'audit',
  audit_checkpoints: 'audit',
  audit_alerts: 'audit',
  audit_anchors: 'audit',
  settings: 'settings',
  settings_changes: 'settings',
  vault_keys: 'vault',
  vault_tokens: 'vault',
  notices: 'notify',
  contact_sessions: 'contacts',
  contact_aggregates: 'contacts',
  contact_last: 'contacts',
  reports: 'reports',
  report_orders: 'reports',
  report_payments: 'reports',
  report_indicators: 'reports',
  indicators: 'reports',
  case_splits: 'reports',
  cases: 'reports',
  case_merges: 'reports',
  warning_list: 'reports',
  report_evidence: 'reports',
  // The case workflow (status, notes, history, saved filters): src/reports/workflow*.ts
  case_notes: 'reports',
  case_history: 'reports',
  case_filters: 'reports',
  investigations: 'investigations',
  canaries: 'canaries',
  canary_trips: 'canaries',
  export_files: 'canaries',
  export_substitutes: 'canaries',
  substitute_calls: 'canaries',
  incidents: 'incidents',
  incident_events: 'incidents',
  incident_customers: 'incidents',
  incident_frozen_principals: 'incidents',
  guard_stats_minutes: 'guard',
  guard_prefix_days: 'guard',
  console_sessions: 'console',
  // Resume positions of the connectors (fanzha connect mysql|nats)
  connector_positions: 'connect',
} as const satisfies Record<keyof DB, string>;

export type OwnedTable = keyof typeof TABLE_OWNERS;
