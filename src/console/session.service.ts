// Console sessions: an admin or analyst API key is exchanged once for a random session token kept
// in an HttpOnly, SameSite=Strict cookie, so the key never lives in the browser's storage.
// Only a SHA-256 of the token is stored. A session ends at sign-out, after an idle period, at its
// absolute expiry, or as soon as the key it came from is revoked (checked on every request).
//
// CSRF: SameSite=Strict already keeps the cookie off cross-site requests; on top of that every
// unsafe request authenticated by the cookie must carry the session's CSRF token in a header
// (synchronizer token). A cross-site page can neither read the token nor set custom headers
// without a CORS preflight, which fanzha never grants.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ApiKeysService } from '../apikeys/apikeys.service.ts';
import type { Caller, Role } from '../http/roles.ts';
import { DomainError } from '../lib/errors.ts';
import type { SessionRepository } from './session.repository.ts';

export const SESSION_COOKIE = 'fanzha_session';
export const CSRF_HEADER = 'x-fanzha-csrf';
/** Roles that may sign in to the console. */
export const CONSOLE_ROLES = ['admin', 'analyst'] as const satisfies readonly Role[];

export interface SessionSettings {
  /** Sign-out after this long without a request. */
  idleMs: number;
  /** Sign-out this long after sign-in, whatever happens. */
  absoluteMs: number;
}

export const DEFAULT_SESSION_SETTINGS: SessionSettings = { idleMs: 2 * 3600_000, absoluteMs: 12 * 3600_000 };

/** How often last-seen is written: a busy console must not write on every request. */
const TOUCH_EVERY_MS = 60_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionInfo {
  keyId: string;
  keyName: string;
  role: Role;
  csrfToken: string;
  expiresAt: string;
}

export interface ResolvedSession {
  caller: Caller;
  info: SessionInfo;
  idHash: string;
}

/** A key that may not open a console session: an unknown or revoked key (401), or a role without the console (403). */
export class SignInRefused extends DomainError {
  override name = 'SignInRefused';
  constructor(readonly reason: 'unknown-key' | 'role') {
    super(
      reason === 'role' ? 'forbidden' : 'unauthenticated',
      reason,
      reason === 'role'
        ? { type: 'console-role', title: 'Role cannot use the console', detail: `Only ${CONSOLE_ROLES.join(' and ')} keys can sign in to the console.` }
        : { type: 'sign-in-failed', title: 'Sign-in failed', detail: 'The key is unknown or revoked.' },
    );
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class ConsoleSessionService {
  constructor(
    private readonly repo: SessionRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly settings: SessionSettings = DEFAULT_SESSION_SETTINGS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Exchanges an API key for a new session; returns the cookie value (shown to no one else). */
  async signIn(apiKey: string): Promise<{ token: string; info: SessionInfo }> {
    const caller = await this.apiKeys.authenticate(apiKey);
    if (!caller) throw new SignInRefused('unknown-key');
    if (!(CONSOLE_ROLES as readonly string[]).includes(caller.role)) throw new SignInRefused('role');
    const now = this.now();
    await this.repo.deleteExpired(now);
    const token = randomBytes(32).toString('base64url');
    const row = {
      id_hash: sha256(token),
      key_id: caller.keyId,
      role: caller.role,
      csrf_token: randomBytes(24).toString('base64url'),
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.settings.absoluteMs,
    };
    await this.repo.insert(row);
    return {
      token,
      info: { keyId: caller.keyId, keyName: caller.keyName, role: caller.role, csrfToken: row.csrf_token, expiresAt: new Date(row.expires_at).toISOString() },
    };
  }

  /** The live session for a cookie value, or null (unknown, idle, expired, or its key revoked). */
  async resolve(token: string | undefined): Promise<ResolvedSession | null> {
    if (!token || token.length > 200) return null;
    const idHash = sha256(token);
    const row = await this.repo.find(idHash);
    if (!row) return null;
    const now = this.now();
    const lastSeen = Number(row.last_seen_at);
    if (Number(row.expires_at) <= now || lastSeen + this.settings.idleMs <= now) {
      await this.repo.delete(idHash);
      return null;
    }
    const key = await this.apiKeys.get(row.key_id);
    if (!key || key.revokedAt !== null || key.role !== row.role) {
      await this.repo.delete(idHash);
      return null;
    }
    if (now - lastSeen >= TOUCH_EVERY_MS) await this.repo.touch(idHash, now);
    return {
      idHash,
      caller: { keyId: key.id, keyName: key.name, role: key.role, principalId: key.principalId },
      info: { keyId: key.id, keyName: key.name, role: key.role, csrfToken: row.csrf_token, expiresAt: new Date(Number(row.expires_at)).toISOString() },
    };
  }

  async signOut(token: string | undefined): Promise<void> {
    if (token) await this.repo.delete(sha256(token));
  }

  /**
   * The auth plugin's cookieCaller: the caller of a request that carries a session cookie and no
   * bearer key. Unsafe methods must echo the CSRF token; on a public route a request that fails
   * the check is simply treated as anonymous, elsewhere it is refused.
   */
  async callerFor(req: FastifyRequest): Promise<Caller | null> {
    const token = (req.cookies as Record<string, string | undefined> | undefined)?.[SESSION_COOKIE];
    if (!token) return null;
    const session = await this.resolve(token);
    if (!session) return null;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, session.info.csrfToken)) {
        if (req.routeOptions.config?.auth === 'public') return null;
        throw new DomainError('forbidden', `Requests signed in by the console cookie must send the ${CSRF_HEADER} header.`, {
          type: 'csrf',
          title: 'Missing or wrong CSRF token',
        });
      }
    }
    return session.caller;
  }
}
