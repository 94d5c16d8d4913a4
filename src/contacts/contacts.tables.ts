// Contact session tables (migration 2026112708_contacts_notify).
export type ContactStatus = 'open' | 'ringing' | 'connected' | 'ended';

export interface ContactSessionsTable {
  id: string;
  customer_id: string;
  order_id: string | null;
  channel: string;
  reason: string;
  principal_id: string;
  /** Display name only (e.g. 小王, "Alice"): never the full name. */
  staff_name: string;
  staff_team: string | null;
  phrase: string;
  status: ContactStatus;
  created_at: number;
  expires_at: number;
  ringing_at: number | null;
  connected_at: number | null;
  ended_at: number | null;
  updated_at: number;
}

export interface ContactAggregatesTable {
  day: string;
  channel: string;
  team: string;
  sessions: number;
  connected: number;
}

export interface ContactLastTable {
  customer_id: string;
  last_contact_at: number;
  channel: string;
}

declare module '../db/schema.ts' {
  interface DB {
    contact_sessions: ContactSessionsTable;
    contact_aggregates: ContactAggregatesTable;
    contact_last: ContactLastTable;
  }
}
