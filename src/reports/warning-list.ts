// The shop's own official channels (hotlines, domains, SMS signatures, merchant names). A victim
// who quotes the real hotline ("he said to call 400-xxx to check, and it was real") must not link
// every such report into one giant case, nor put the shop's number on a blocklist feed.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { newId } from '../lib/ids.ts';
import { normalizeReportedPhone, normalizeSender, normalizeCompany, normalizeUrl, normalizeDomain } from './normalize.ts';

export type WarningKind = 'phone' | 'domain' | 'sms_sender' | 'merchant' | 'institution';

export interface WarningEntryRow {
  id: string;
  kind: WarningKind;
  value: string;
  label: string | null;
  createdAt: string;
}

export function normalizeWarningValue(kind: WarningKind, value: string): string | null {
  switch (kind) {
    case 'phone':
      return normalizeReportedPhone(value);
    case 'domain':
      return normalizeDomain(value)?.registrableDomain ?? null;
    case 'sms_sender':
      return normalizeSender(value);
    case 'merchant':
    case 'institution':
      return normalizeCompany(value);
  }
}

export class WarningList {
  // Cached for a few seconds: every report and every public check consults it.
  private cache: { at: number; rows: { kind: string; value: string; label: string | null }[] } | null = null;
  constructor(
    private readonly db: Kysely<DB>,
    private readonly ttlMs = 5000,
  ) {}

  async entries(): Promise<WarningEntryRow[]> {
    const rows = await this.db.selectFrom('warning_list').selectAll().orderBy('kind').orderBy('value').execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as WarningKind,
      value: r.value,
      label: r.label,
      createdAt: new Date(Number(r.created_at)).toISOString(),
    }));
  }

  /** Adds an entry (idempotent on kind + normalised value); null when the value is not valid for the kind. */
  async add(kind: WarningKind, value: string, label: string | null): Promise<{ entry: WarningEntryRow; created: boolean } | null> {
    const v = normalizeWarningValue(kind, value);
    if (!v) return null;
    const prior = await this.db.selectFrom('warning_list').selectAll().where('kind', '=', kind).where('value', '=', v).executeTakeFirst();
    if (prior)
      return { entry: { id: prior.id, kind, value: v, label: prior.label, createdAt: new Date(Number(prior.created_at)).toISOString() }, created: false };
    const now = Date.now();
    const id = newId('wl');
    await this.db
      .insertInto('warning_list')
      .values({ id, kind, value: v, label, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
    this.cache = null;
    return { entry: { id, kind, value: v, label, createdAt: new Date(now).toISOString() }, created: true };
  }

  async remove(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('warning_list').where('id', '=', id).executeTakeFirst();
    this.cache = null;
    return Number(r.numDeletedRows) > 0;
  }

  private async rows() {
    if (!this.cache || Date.now() - this.cache.at > this.ttlMs) {
      this.cache = { at: Date.now(), rows: await this.db.selectFrom('warning_list').select(['kind', 'value', 'label']).execute() };
    }
    return this.cache.rows;
  }

  /** A predicate over indicator (kind, normalised value): is it one of the shop's official channels? */
  async matcher(): Promise<(kind: string, value: string) => boolean> {
    const f = await this.labeller();
    return (k, v) => f(k, v) !== undefined;
  }

  /** Like matcher(), returning the entry's label (or '' when it has none) for official values. */
  async labeller(): Promise<(kind: string, value: string) => string | undefined> {
    const m = new Map<string, string>();
    for (const r of await this.rows()) m.set(`${r.kind}\u0000${r.value}`, r.label ?? '');
    const get = (k: string, v: string) => m.get(`${k}\u0000${v}`);
    return (kind, value) => {
      switch (kind) {
        case 'phone':
          return get('phone', value) ?? get('sms_sender', value);
        case 'sms_sender':
          return get('sms_sender', value);
        case 'domain':
          return get('domain', value);
        case 'url': {
          const n = normalizeUrl(value);
          return n ? get('domain', n.registrableDomain) : undefined;
        }
        case 'payee_name':
          return get('merchant', value);
        case 'merchant_id':
          // Merchant entries are stored as normalised names (lower case); ids compare the same way.
          return get('merchant', value.toLowerCase());
        default:
          return undefined;
      }
    };
  }

  /** Payment institutions admins added (beside the built-in list): payee names that never link. */
  async institutions(): Promise<(payeeName: string) => boolean> {
    const names = new Set((await this.rows()).filter((r) => r.kind === 'institution').map((r) => r.value));
    return (v) => names.has(v);
  }

  /** Official domains, the brand list look-alike detection protects. */
  async officialDomains(): Promise<string[]> {
    return (await this.rows()).filter((r) => r.kind === 'domain').map((r) => r.value);
  }
}
