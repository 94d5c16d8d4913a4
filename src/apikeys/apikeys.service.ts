// API keys: 32 random bytes shown once; only a SHA-256 of the key is stored (the key has full
// entropy, so a slow hash would add nothing). Lookups are cached briefly, but every request first
// reads the revocation version (revoked count and latest time, one tiny aggregate over api_keys)
// from a read that started after it arrived (concurrent requests share one): when another node
// revoked a key, the cache is dropped before the key is trusted again, so incident containment
// takes effect on every node at once.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeysRepository, ApiKeyRow } from './apikeys.repository.ts';
import { isRole, type Caller, type Role } from '../http/roles.ts';
import { newId } from '../lib/ids.ts';

const CACHE_MS = 5_000;

export interface ApiKeyInfo {
  id: string;
  name: string;
  role: Role;
  principalId: string | null;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function toInfo(r: ApiKeyRow): ApiKeyInfo {
  return {
    id: r.id,
    name: r.name,
    role: r.role as Role,
    principalId: r.principal_id,
    prefix: r.key_prefix,
    createdAt: new Date(r.created_at).toISOString(),
    revokedAt: r.revoked_at ? new Date(r.revoked_at).toISOString() : null,
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  };
}

export class ApiKeysService {
  private cache = new Map<string, { caller: Caller | null; until: number }>();
  private version: string | null = null;
  private lastTouched = new Map<string, number>();

  constructor(private readonly repo: ApiKeysRepository) {}

  async create(input: { role: string; name?: string; principalId?: string | null }): Promise<{ key: string; info: ApiKeyInfo }> {
    if (!isRole(input.role)) throw new RangeError(`unknown role "${input.role}"`);
    const secret = randomBytes(32).toString('base64url');
    const key = `fz_${input.role}_${secret}`;
    const row: ApiKeyRow = {
      id: newId('key'),
      name: input.name ?? `${input.role} key`,
      role: input.role,
      principal_id: input.principalId ?? null,
      key_hash: hashKey(key),
      key_prefix: key.slice(0, key.indexOf('_', 3) + 5),
      created_at: Date.now(),
      revoked_at: null,
      last_used_at: null,
    };
    await this.repo.insert(row);
    return { key, info: toInfo(row) };
  }

  async list(): Promise<ApiKeyInfo[]> {
    return (await this.repo.list()).map(toInfo);
  }

  async get(id: string): Promise<ApiKeyInfo | undefined> {
    const r = await this.repo.findById(id);
    return r && toInfo(r);
  }

  async revoke(id: string): Promise<boolean> {
    const ok = await this.repo.revoke(id, Date.now());
    this.cache.clear();
    return ok;
  }

  /** Revokes every key acting for a principal (incident containment). */
  async revokePrincipal(principalId: string): Promise<number> {
    const n = await this.repo.revokeByPrincipal(principalId, Date.now());
    this.cache.clear();
    return n;
  }

  count(): Promise<number> {
    return this.repo.count();
  }

  private versionRead?: Promise<string>;
  private versionNext?: Promise<string>;
  /**
   * The revocation version from a read that started after this call, shared by every call that
   * arrives while one is in flight: those wait for the next read, which starts when the current
   * one ends. A revocation committed before a request arrived is therefore always seen (as with
   * one read per request), but a busy node reads once per round trip, not once per request.
   */
  private revocationVersion(): Promise<string> {
    const start = () => {
      const p = this.repo.revocationVersion().finally(() => {
        if (this.versionRead === p) this.versionRead = undefined;
      });
      this.versionRead = p;
      return p;
    };
    if (!this.versionRead) return start();
    this.versionNext ??= this.versionRead.then(
      () => ((this.versionNext = undefined), start()),
      () => ((this.versionNext = undefined), start()),
    );
    return this.versionNext;
  }

  /** The caller for a presented key, or null when it is unknown or revoked. */
  async authenticate(key: string): Promise<Caller | null> {
    const hash = hashKey(key);
    const now = Date.now();
    const version = await this.revocationVersion();
    if (version !== this.version) {
      this.cache.clear();
      this.version = version;
    }
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.caller;
    const row = await this.repo.findByHash(hash);
    const caller: Caller | null =
      row && row.revoked_at === null && isRole(row.role) ? { keyId: row.id, keyName: row.name, role: row.role, principalId: row.principal_id } : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { caller, until: now + CACHE_MS });
    if (caller && (this.lastTouched.get(caller.keyId) ?? 0) < now - 60_000) {
      this.lastTouched.set(caller.keyId, now);
      await this.repo.touch(caller.keyId, now);
    }
    return caller;
  }
}
