// Tables of the canaries & fingerprinted-exports area (migration 2026112705_canaries_exports).
// Canary customers themselves live in the foundation `customers` table with canary = 1, so they
// look exactly like real customers at rest; these tables only say where each one was exposed.
declare module '../db/schema.ts' {
  interface DB {
    canaries: CanariesTable;
    canary_trips: CanaryTripsTable;
    export_files: ExportFilesTable;
    export_substitutes: ExportSubstitutesTable;
    substitute_calls: SubstituteCallsTable;
  }
}

export interface CanariesTable {
  id: string;
  /** Caller's idempotency key for the creating request (shared by the canaries of one request). */
  request_id: string | null;
  customer_id: string;
  /** JSON array of the canary's order ids. */
  order_ids: string;
  /** 'team' | 'principal' | 'export' | 'api_client'. */
  scope_kind: string;
  scope_id: string;
  /** For export canaries: the principal that received the export. */
  recipient_id: string | null;
  /** Blind indexes of the monitored contact (never the contact itself). */
  phone_bidx: string;
  email_bidx: string | null;
  status: string;
  created_at: number;
}

export interface CanaryTripsTable {
  id: string;
  canary_id: string;
  /** Caller's idempotency key (the phone line's call id, the mail's Message-ID...). */
  client_id: string | null;
  channel: string;
  /** Blind index of the number or address that contacted the canary, when given. */
  from_bidx: string | null;
  scope_kind: string;
  scope_id: string;
  at: number;
  received_at: number;
}

export interface ExportFilesTable {
  /** Same id as the foundation `exports` row written by the export.created event. */
  id: string;
  recipient_id: string;
  subject_kind: string;
  fields: number;
  /** 'real' | 'token' | 'virtual'. */
  phone_mode: string;
  format: string;
  /** Hash of what was asked, so a retry with the same id but other content is refused. */
  request_hash: string;
  /** JSON array of the ids (orders or customers) in the order the shop gave them. */
  record_ids: string;
  /** JSON array of canary ids planted in this export. */
  canary_ids: string;
  at: number;
  created_at: number;
}

export interface ExportSubstitutesTable {
  principal_id: string;
  customer_id: string;
  /** 'token' | 'virtual'. */
  kind: string;
  /** The substitute as given out: a token, or an E.164 virtual number. Not personal data. */
  value: string;
  created_at: number;
}

/** A call that reached a per-recipient substitute (migration 2026112712_substitute_calls). */
export interface SubstituteCallsTable {
  id: string;
  value: string;
  kind: string;
  /** The recipient the substitute was given to: the only place the value could have leaked from. */
  principal_id: string;
  customer_id: string;
  channel: string;
  /** Caller's idempotency key (the phone line's call id). */
  client_id: string | null;
  /** Blind index of the calling number, when given. */
  from_bidx: string | null;
  at: number;
  received_at: number;
}
