// Tables of the audit area: the access log (only src/audit reads or writes it; others use
// AuditService and the append functions), the chain head, signed checkpoints, retention anchors and
// access alerts.
import type { ColumnType, Generated } from 'kysely';

/** The access log: one row per read of personal data (ingested or through the vault), hash-chained. */
export interface AccessLogTable {
  seq: Generated<number>;
  /** 'event' (ingested data.accessed / export.created) or 'vault' (read through fanzha). */
  source: string;
  event_id: string | null;
  principal_id: string;
  customer_id: string | null;
  order_id: string | null;
  /** Bit mask over ACCESS_FIELDS. */
  fields: number;
  purpose: string | null;
  channel: string;
  ip: string | null;
  export_id: string | null;
  at: number;
  recorded_at: number;
  /** 0-based position in its shard's hash chain, assigned under the shard's append lock. */
  pos: ColumnType<number, number | undefined, never>;
  /** Which hash chain (shard) the entry belongs to; 0 for a single-chain log. */
  shard: ColumnType<number, number | undefined, never>;
  /** Hex SHA-256 over the previous entry's hash and this entry's canonical encoding. */
  hash: ColumnType<string, string | undefined, never>;
  /** Ticket reference given with a reveal or detokenisation. */
  ticket: ColumnType<string | null, string | null | undefined, never>;
  /** The API key that acted (part of the chained entry, format 2); null for entries without one. */
  key_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface AuditHeadTable {
  /** shard + 1 (shard 0's row, id 1, is the head the single chain always had). */
  id: number;
  /** Number of entries in the chain (positions 0..size-1). */
  size: number;
  /** Hex SHA-256 chain hash of entry size-1 (64 zeros for the empty log). */
  hash: string;
  /** access_log rows with seq ≤ this predate the chain and are adopted once at start-up. */
  legacy_seq: number;
  updated_at: number;
}

export interface AuditCheckpointsTable {
  size: number;
  hash: string;
  /** The C2SP signed note, exactly as exported. */
  note: string;
  key_name: string;
  created_at: number;
}

/** One retention prune: the signed anchor each shard's verification starts from afterwards (prune.ts). */
export interface AuditAnchorsTable {
  id: Generated<number>;
  /** Entries recorded before this time (a UTC month start) were removed, as whole prefixes of each shard. */
  cut_at: number;
  /** C2SP signed note: per shard, the first retained position and the chain hash before it. */
  note: string;
  /** Entries removed by this prune. */
  pruned: number;
  created_at: number;
}

export interface AuditAlertsTable {
  id: string;
  rule: string;
  principal_id: string;
  severity: string;
  /** JSON text: counts and thresholds, never personal data. */
  detail: string;
  /** rule:principal:window — the same finding is stored once. */
  dedup_key: string;
  window_start: number;
  window_end: number;
  created_at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    access_log: AccessLogTable;
    audit_head: AuditHeadTable;
    audit_checkpoints: AuditCheckpointsTable;
    audit_alerts: AuditAlertsTable;
    audit_anchors: AuditAnchorsTable;
  }
}
