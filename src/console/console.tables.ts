// The console's own table, added to the app's DB type by augmentation.
export interface ConsoleSessionsTable {
  id_hash: string;
  key_id: string;
  role: string;
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    console_sessions: ConsoleSessionsTable;
  }
}
