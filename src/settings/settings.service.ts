// The settings store: small JSON values that admins change at run time (masking rules, notice
// texts), read on hot paths (every masked view, every notice). Reads come from an in-process
// snapshot of the whole table, reloaded when older than `ttlMs` — so a change made on another
// node applies here within that time — and dropped at once after a write on this node.
import type { Database } from '../db/database.ts';
import { SettingsRepository, type Actor } from './settings.repository.ts';

export interface StoredSetting<T = unknown> {
  value: T;
  updatedAt: number;
  updatedBy: string | null;
}

export interface SettingsChange {
  id: string;
  key: string;
  before: unknown;
  after: unknown;
  by: { keyId: string | null; keyName: string | null; role: string | null };
  at: number;
}

const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));

export class SettingsStore {
  private readonly repo: SettingsRepository;
  private snapshot: { at: number; rows: Map<string, StoredSetting> } | undefined;
  private loading: Promise<Map<string, StoredSetting>> | undefined;
  /** Bumped on every local write so a load that started before it is not kept. */
  private generation = 0;

  constructor(
    database: Database,
    private readonly opts: { ttlMs: number; now?: () => number },
  ) {
    this.repo = new SettingsRepository(database.db);
  }

  private now() {
    return (this.opts.now ?? Date.now)();
  }

  private async rows(): Promise<Map<string, StoredSetting>> {
    const s = this.snapshot;
    if (s && this.now() - s.at < this.opts.ttlMs) return s.rows;
    if (!this.loading) {
      const gen = this.generation;
      const at = this.now();
      const p: Promise<Map<string, StoredSetting>> = this.repo
        .all()
        .then((all) => {
          const rows = new Map(all.map((r) => [r.key, { value: JSON.parse(r.value) as unknown, updatedAt: Number(r.updated_at), updatedBy: r.updated_by }]));
          if (gen === this.generation) this.snapshot = { at, rows };
          return rows;
        })
        .finally(() => {
          if (this.loading === p) this.loading = undefined;
        });
      this.loading = p;
    }
    return this.loading;
  }

  async get<T>(key: string): Promise<StoredSetting<T> | undefined> {
    return (await this.rows()).get(key) as StoredSetting<T> | undefined;
  }

  /** Every stored setting whose key starts with the prefix. */
  async list<T>(prefix: string): Promise<Map<string, StoredSetting<T>>> {
    const out = new Map<string, StoredSetting<T>>();
    for (const [k, v] of await this.rows()) if (k.startsWith(prefix)) out.set(k, v as StoredSetting<T>);
    return out;
  }

  /** Stores a value (null removes it, back to the default) and records who changed what. */
  async set(key: string, value: unknown, actor: Actor): Promise<{ before: unknown; changed: boolean }> {
    const r = await this.repo.write(key, value === null ? null : JSON.stringify(value), actor, this.now());
    // Readers after this write must not get a snapshot, or a load begun before it.
    this.generation++;
    this.snapshot = undefined;
    this.loading = undefined;
    return { before: parse(r.before), changed: r.changed };
  }

  async changes(q: { prefix?: string; limit: number; beforeAt?: number }): Promise<SettingsChange[]> {
    const rows = await this.repo.changes(q);
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      before: parse(r.before),
      after: parse(r.after),
      by: { keyId: r.by_key, keyName: r.by_name, role: r.by_role },
      at: Number(r.at),
    }));
  }
}
