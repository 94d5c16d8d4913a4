// Tables of the vault: wrapped keys and tokens.
export interface VaultKeysTable {
  id: string;
  /** 'data' (field encryption), 'index' (blind index HMAC), or a named secret such as 'audit-signing'. */
  purpose: string;
  /** The key wrapped by the master key provider (never the key itself). */
  wrapped: string;
  /** Id of the master key that wrapped it. */
  wrap_kid: string;
  /** 'active' (seals new data) or 'retired' (still decrypts). Non-data keys are always 'active'. */
  state: string;
  created_at: number;
  rotated_at: number | null;
}

export interface VaultTokensTable {
  id: string;
  kind: string;
  value_enc: string;
  /** Blind index of the normalised value per kind: the same value gets the same token. */
  value_bidx: string;
  customer_id: string | null;
  created_at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    vault_keys: VaultKeysTable;
    vault_tokens: VaultTokensTable;
  }
}
