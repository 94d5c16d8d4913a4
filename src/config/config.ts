// Configuration: environment variables first, then an optional JSON file (FANZHA_CONFIG),
// then built-in defaults. Everything is validated here so the rest of the code can trust it.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

import type { PostgresTuning } from '../db/postgres/connect.ts';
import { areaProblems, envProblems, fileProblems } from './config.schema.ts';

export type DbConfig =
  | { kind: 'sqlite'; path: string; /** ms a writer waits for the file's write lock */ busyTimeoutMs?: number }
  | { kind: 'postgres'; url: string; /** overrides of DEFAULT_TUNING */ tuning?: Partial<PostgresTuning> };

/** Database time limits and pool size (env name → tuning key); 0 disables a limit. */
const PG_TUNING_ENV = {
  FANZHA_PG_POOL_MAX: 'poolMax',
  FANZHA_PG_CONNECT_TIMEOUT_MS: 'connectTimeoutMs',
  FANZHA_PG_STATEMENT_TIMEOUT_MS: 'statementTimeoutMs',
  FANZHA_PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: 'idleInTransactionTimeoutMs',
  FANZHA_PG_QUERY_TIMEOUT_MS: 'queryTimeoutMs',
} as const satisfies Record<string, keyof PostgresTuning>;

function parseMs(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 86_400_000) throw new ConfigError(`${name} must be a whole number of milliseconds (0 = no limit), got "${value}"`);
  return n;
}

export interface Config {
  dataDir: string;
  db: DbConfig;
  redisUrl?: string;
  host: string;
  port: number;
  /** Raw FANZHA_MASTER_KEY value, if given; resolved by master-key.ts. */
  masterKeyText?: string;
  logLevel: string;
  /**
   * Addresses (IPs or CIDR ranges) of reverse proxies whose X-Forwarded-For is believed. Empty by
   * default: the peer address is the client, so per-IP limits cannot be dodged with a header.
   */
  trustedProxies: string[];
  /** Bearer token for GET /metrics; without one, /metrics answers only loopback peers (docs/security.md). */
  metricsToken?: string;
  /** Web origins allowed to call the public endpoints from a browser (FANZHA_CORS_ORIGINS, comma-separated). */
  corsOrigins: string[];
  /** Redis key namespace of the shared public rate limits (with FANZHA_REDIS). */
  rateLimitNamespace: string;
  /** Free-form per-area settings (masking rules, quotas, thresholds...), read by each area. */
  areas: Record<string, unknown>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function invalidConfig(problems: readonly string[], file?: string): ConfigError {
  return new ConfigError(`The configuration${file ? ` (${file} and the environment)` : ''} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
}

/**
 * Checks per-area settings that did not come through loadConfig (tests, embedding programs build
 * them in code) against the same schema; createContext calls it before any area starts.
 */
export function checkAreas(areas: Record<string, unknown>): void {
  const problems = areaProblems(areas);
  if (problems.length) throw invalidConfig(problems);
}

export interface ConfigOverrides {
  db?: string;
  port?: number;
  host?: string;
  dataDir?: string;
}

export function parseDbUrl(value: string, _dataDir: string): DbConfig {
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError('FANZHA_DB is not a valid postgres:// URL');
    }
    return { kind: 'postgres', url: value };
  }
  if (value.startsWith('sqlite:')) {
    const p = value.slice('sqlite:'.length);
    if (!p) throw new ConfigError('FANZHA_DB=sqlite: needs a file path, e.g. sqlite:./data/fanzha.db');
    return { kind: 'sqlite', path: p === ':memory:' ? p : path.resolve(p) };
  }
  throw new ConfigError(`FANZHA_DB must be sqlite:PATH or a postgres:// URL (got a value starting "${value.slice(0, 10)}")`);
}

function parsePort(value: string | number): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new ConfigError(`port must be an integer 0–65535, got "${value}"`);
  return n;
}

/** FANZHA_TRUSTED_PROXIES: comma-separated IPs/CIDRs (or a JSON array in the config file). */
export function parseProxies(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  const list = Array.isArray(value) ? value.map(String) : String(value).split(',');
  const out = list.map((s) => s.trim()).filter(Boolean);
  for (const p of out) {
    if (!/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(p))
      throw new ConfigError(`trustedProxies: "${p}" is not an IP address or CIDR range (names such as "loopback" are not accepted: list addresses)`);
  }
  return out;
}

function metricsToken(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value.length < 16) throw new ConfigError('FANZHA_METRICS_TOKEN must be at least 16 characters');
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  let file: Record<string, unknown> = {};
  if (env.FANZHA_CONFIG) {
    if (!existsSync(env.FANZHA_CONFIG)) throw new ConfigError(`FANZHA_CONFIG points to a missing file: ${env.FANZHA_CONFIG}`);
    try {
      file = JSON.parse(readFileSync(env.FANZHA_CONFIG, 'utf8'));
    } catch (e) {
      throw new ConfigError(`FANZHA_CONFIG is not valid JSON: ${(e as Error).message}`);
    }
  }
  // one schema for the file and the environment: unknown keys and wrong shapes stop the start
  const problems = [...envProblems(env), ...fileProblems(file)];
  if (problems.length) throw invalidConfig(problems, env.FANZHA_CONFIG);
  const pick = (envName: string, fileKey: string): string | undefined => env[envName] ?? (file[fileKey] !== undefined ? String(file[fileKey]) : undefined);

  const dataDir = path.resolve(overrides.dataDir ?? pick('FANZHA_DATA_DIR', 'dataDir') ?? './data');
  const dbText = overrides.db ?? pick('FANZHA_DB', 'db') ?? `sqlite:${path.join(dataDir, 'fanzha.db')}`;
  const portText = overrides.port ?? pick('FANZHA_PORT', 'port') ?? '8080';
  const redisUrl = pick('FANZHA_REDIS', 'redis');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('FANZHA_REDIS must be a redis:// or rediss:// URL');
  const areas = (file.areas && typeof file.areas === 'object' ? file.areas : {}) as Record<string, unknown>;
  const db = parseDbUrl(dbText, dataDir);
  // same keys in the JSON file under "postgres": { "statementTimeoutMs": ... }, "sqlite": { "busyTimeoutMs": ... }
  const section = (k: string) => (file[k] && typeof file[k] === 'object' ? (file[k] as Record<string, unknown>) : {});
  if (db.kind === 'postgres') {
    const tuning: Partial<PostgresTuning> = {};
    for (const [envName, key] of Object.entries(PG_TUNING_ENV)) {
      const v = env[envName] ?? (section('postgres')[key] !== undefined ? String(section('postgres')[key]) : undefined);
      if (v !== undefined) tuning[key] = parseMs(envName, v);
    }
    if (tuning.poolMax === 0) throw new ConfigError('FANZHA_PG_POOL_MAX must be at least 1');
    if (Object.keys(tuning).length) db.tuning = tuning;
  } else {
    const v = env.FANZHA_SQLITE_BUSY_TIMEOUT_MS ?? (section('sqlite').busyTimeoutMs !== undefined ? String(section('sqlite').busyTimeoutMs) : undefined);
    if (v !== undefined) db.busyTimeoutMs = parseMs('FANZHA_SQLITE_BUSY_TIMEOUT_MS', v);
  }
  const corsText = env.FANZHA_CORS_ORIGINS ?? (Array.isArray(file.corsOrigins) ? file.corsOrigins.join(',') : undefined);
  const corsOrigins = (corsText ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const o of corsOrigins)
    if (o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o)) throw new ConfigError(`FANZHA_CORS_ORIGINS: "${o}" is not an origin like https://shop.example`);
  return {
    dataDir,
    db,
    redisUrl: redisUrl || undefined,
    host: overrides.host ?? pick('FANZHA_HOST', 'host') ?? '127.0.0.1',
    port: parsePort(portText),
    masterKeyText: pick('FANZHA_MASTER_KEY', 'masterKey'),
    logLevel: pick('FANZHA_LOG_LEVEL', 'logLevel') ?? 'info',
    trustedProxies: parseProxies(env.FANZHA_TRUSTED_PROXIES ?? file.trustedProxies),
    metricsToken: metricsToken(pick('FANZHA_METRICS_TOKEN', 'metricsToken')),
    corsOrigins,
    rateLimitNamespace: pick('FANZHA_RATE_LIMIT_NAMESPACE', 'rateLimitNamespace') ?? 'fanzha:rl:',
    areas,
  };
}
