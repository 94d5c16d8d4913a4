// Tables of the reports area (migration 2026112706_reports). Epoch-ms times, JSON as text.
import type { Generated } from 'kysely';

export interface ReportsTable {
  id: string;
  /** Public reference number given to the reporter ("FZ-7K3M-Q9TD"); reveals nothing. */
  ref: string;
  /** `<submitter>/<clientId>` for idempotent resubmission, or null. */
  idem_key: string | null;
  case_id: string;
  trust: string;
  channel: string;
  contact_at: number;
  received_at: number;
  submitted_by: string | null;
  customer_id: string | null;
  /** Bit mask over ACCESS_FIELDS. */
  knew_fields: number;
  /** Redacted JSON: claimedIdentity, scriptTags, exposed, apps, socialAccounts, narrative, smsSender. */
  details: string;
  loss_minor: number;
  currency: string;
}

export interface ReportOrdersTable {
  report_id: string;
  /** Clear order id only for authenticated submissions; anonymous ones keep the keyed HMAC only. */
  order_id: string | null;
  order_bidx: string;
}

export interface ReportPaymentsTable {
  id: Generated<number>;
  report_id: string;
  amount_minor: number;
  currency: string;
  method: string;
  payee_name: string | null;
  payee_account: string | null;
  institution: string | null;
  merchant_id: string | null;
  txn_ref: string | null;
  paid_at: number | null;
}

export interface ReportIndicatorsTable {
  report_id: string;
  kind: string;
  value: string;
  /** 1 when this indicator joined the report to its case (not official, under the cap). */
  linked: number;
  /** 1 when the value is on the warning list (the shop's own channel): stored, never linked. */
  official: number;
}

export interface IndicatorsTable {
  kind: string;
  value: string;
  report_count: number;
  /** The case this indicator links into (kept current through merges); null once over the cap. */
  case_id: string | null;
  first_seen: number;
  last_seen: number;
  /** Why the value no longer links ('bridge', 'count', 'institution'), or null while it is fit to link. */
  unlinked_reason: string | null;
  unlinked_at: number | null;
}

export interface CasesTable {
  id: string;
  /** Set when this case was merged into another (union-find parent, always a root). */
  merged_into: string | null;
  /** Set when this case was split off another (the larger part kept the other's id). */
  split_from: string | null;
  /** The case size at which its values get the over-correlation test next (hindsight.ts). */
  next_review: Generated<number>;
  report_count: number;
  created_at: number;
  updated_at: number;
  /** Workflow (migration 2026120340_case_workflow; values in workflow.ts). */
  status: Generated<string>;
  /** Set exactly while status is 'resolved'. */
  resolution: string | null;
  priority: Generated<string>;
  due_at: number | null;
  /** 'key:<analyst key name>' or 'principal:<principal id>', or null. */
  assignee: string | null;
  /** JSON array of strings. */
  tags: Generated<string>;
}

export interface CaseNotesTable {
  id: string;
  case_id: string;
  body: string;
  by_key: string | null;
  by_name: string | null;
  by_principal: string | null;
  at: number;
}

/** Every workflow change of a case, and what a report arriving on a resolved case did to it. */
export interface CaseHistoryTable {
  id: Generated<number>;
  case_id: string;
  /** 'status' | 'priority' | 'due' | 'assignee' | 'tags' | 'note' | 'reopened' | 'kept-resolved' */
  kind: string;
  from_value: string | null;
  to_value: string | null;
  /** JSON with context (resolution, report id, why a case was not reopened). */
  detail: string | null;
  by_key: string | null;
  by_name: string | null;
  by_principal: string | null;
  at: number;
}

/** A key's saved case filters (the query is the list endpoint's filter, as JSON). */
export interface CaseFiltersTable {
  id: string;
  owner_key: string;
  name: string;
  query: string;
  created_at: number;
}

export interface CaseMergesTable {
  id: Generated<number>;
  from_case: string;
  into_case: string;
  via_kind: string;
  via_value: string;
  report_id: string;
  at: number;
}

export interface CaseSplitsTable {
  id: Generated<number>;
  from_case: string;
  into_case: string;
  via_kind: string;
  via_value: string;
  reason: string;
  reports: number;
  /** The report whose arrival showed the value to be over-correlated. */
  report_id: string;
  at: number;
}

export interface WarningListTable {
  id: string;
  kind: string;
  value: string;
  label: string | null;
  created_at: number;
}

export interface EvidenceTable {
  id: string;
  report_id: string;
  sha256: string;
  content_type: string;
  size: number;
  created_at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    reports: ReportsTable;
    report_orders: ReportOrdersTable;
    report_payments: ReportPaymentsTable;
    report_indicators: ReportIndicatorsTable;
    indicators: IndicatorsTable;
    cases: CasesTable;
    case_merges: CaseMergesTable;
    case_splits: CaseSplitsTable;
    warning_list: WarningListTable;
    report_evidence: EvidenceTable;
    case_notes: CaseNotesTable;
    case_history: CaseHistoryTable;
    case_filters: CaseFiltersTable;
  }
}
