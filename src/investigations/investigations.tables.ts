// Tables of the investigations area (added to the shared DB type by augmentation).
export interface InvestigationsTable {
  id: string;
  /** The caller's idempotency reference: the same reference returns the stored investigation. */
  client_ref: string | null;
  created_by: string | null;
  /** 'victims' | 'reports' | 'case' */
  source: string;
  verdict: string;
  victim_count: number;
  /** The request as received (ids and times only; no personal data). */
  request: string;
  /** The full result (JSON). */
  result: string;
  created_at: number;
  /** The case the investigation was run on (source 'case'), for the case's timeline. */
  case_id: string | null;
}

declare module '../db/schema.ts' {
  interface DB {
    investigations: InvestigationsTable;
  }
}
