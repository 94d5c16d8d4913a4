// Tables of the incidents area (migration 2026112710_incidents).
export type IncidentState = 'open' | 'contained' | 'notified' | 'closed';

export interface IncidentsTable {
  id: string;
  /** Idempotency: the same source (investigation, trip, match scope) or clientRef opens one incident. */
  client_ref: string | null;
  title: string;
  state: IncidentState;
  /** 'investigation' | 'canary_trip' | 'leak_match' | 'manual' */
  source: string;
  source_ref: string | null;
  /** JSON array of principal ids. */
  principal_ids: string;
  /** Bit mask over ACCESS_FIELDS. */
  fields: number;
  from_at: number;
  to_at: number;
  /** JSON: { byField, byProvince } of the current scope. */
  counts: string;
  affected: number;
  /** JSON: the containment record (keys revoked, reveals frozen, webhook result). */
  containment: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** Every transition and scope edit, with who and when. */
export interface IncidentEventsTable {
  id: string;
  incident_id: string;
  kind: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  detail: string | null;
  by_key: string | null;
  by_principal: string | null;
  at: number;
}

/** The affected customers of the current scope (no personal data: ids, province, field mask). */
export interface IncidentCustomersTable {
  incident_id: string;
  customer_id: string;
  province: string | null;
  fields: number;
  first_read_at: number;
  last_read_at: number;
  /** Highest access_log chain position among the reads (for the covering checkpoint). */
  max_pos: number | null;
  notice_id: string | null;
}

/** Principals whose reveals the vault refuses (consulted through IncidentsService.isFrozen). */
export interface IncidentFrozenTable {
  principal_id: string;
  incident_id: string;
  at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    incidents: IncidentsTable;
    incident_events: IncidentEventsTable;
    incident_customers: IncidentCustomersTable;
    incident_frozen_principals: IncidentFrozenTable;
  }
}
