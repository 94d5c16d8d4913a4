// Configuration: environment variables first, then an optional JSON file (FANZHA_CONFIG),
// then built-in defaults. Everything is validated here so the rest of the code can trust it.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

export type DbConfig = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export interface Config {
  dataDir: string;
  db: DbConfig;
  redisUrl?: string;
  host: string;
  port: number;
  /** Raw FANZHA_MASTER_KEY value, if given; resolved by master-key.ts. */
  masterKeyText?: string;
  logLevel: string;
  /** Free-form per-area settings (masking rules, quotas, thresholds...), read by each area. */
  areas: Record<string, unknown>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
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
  const pick = (envName: string, fileKey: string): string | undefined =>
    env[envName] ?? (file[fileKey] !== undefined ? String(file[fileKey]) : undefined);

  const dataDir = path.resolve(overrides.dataDir ?? pick('FANZHA_DATA_DIR', 'dataDir') ?? './data');
  const dbText = overrides.db ?? pick('FANZHA_DB', 'db') ?? `sqlite:${path.join(dataDir, 'fanzha.db')}`;
  const portText = overrides.port ?? pick('FANZHA_PORT', 'port') ?? '8080';
  const redisUrl = pick('FANZHA_REDIS', 'redis');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError('FANZHA_REDIS must be a redis:// or rediss:// URL');
  const areas = (file.areas && typeof file.areas === 'object' ? file.areas : {}) as Record<string, unknown>;
  return {
    dataDir,
    db: parseDbUrl(dbText, dataDir),
    redisUrl: redisUrl || undefined,
    host: overrides.host ?? pick('FANZHA_HOST', 'host') ?? '127.0.0.1',
    port: parsePort(portText),
    masterKeyText: pick('FANZHA_MASTER_KEY', 'masterKey'),
    logLevel: pick('FANZHA_LOG_LEVEL', 'logLevel') ?? 'info',
    areas,
  };
}
