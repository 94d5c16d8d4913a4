// Tables of the settings area (migration 2026112711_settings).

/** One setting the console can change, as JSON; the configuration file gives the defaults. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
  /** The API key id of the last writer. */
  updated_by: string | null;
}

/** Every change of a setting: who, when, before and after (JSON; null = default / removed). */
export interface SettingsChangesTable {
  id: string;
  key: string;
  before: string | null;
  after: string | null;
  by_key: string | null;
  by_name: string | null;
  by_role: string | null;
  at: number;
}

declare module '../db/schema.ts' {
  interface DB {
    settings: SettingsTable;
    settings_changes: SettingsChangesTable;
  }
}
