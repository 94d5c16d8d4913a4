// A complete fanzha (context + Fastify app) on a private database, with the log captured so
// tests can assert what was (not) logged, and API keys for every role.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Database } from '../db/database.ts';
import { loadConfig } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { buildApp } from '../http/app.ts';
import type { App } from '../http/app.types.ts';
import { AREAS } from '../app/areas.ts';
import { createLogger } from '../http/logger.ts';
import type { AppContext } from '../app/context.ts';
import { ROLES, type Role } from '../http/roles.ts';
import { tempDir, type TestDialect } from './dialects.ts';

export interface TestApp {
  ctx: AppContext;
  app: App;
  database: Database;
  /** Everything the server logged so far. */
  logs(): string;
  /** One key per role. */
  keys: Record<Role, string>;
  auth(role: Role): { authorization: string };
  close(): Promise<void>;
}

export async function createTestApp(dialect: TestDialect, opts: { env?: Record<string, string>; areas?: Record<string, unknown>; logLevel?: string } = {}): Promise<TestApp> {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  const database = await dialect.open();
  const dataDir = tempDir();
  const config = loadConfig({ FANZHA_DATA_DIR: dataDir, FANZHA_DB: 'sqlite::memory:', ...opts.env });
  config.areas = { ...config.areas, ...opts.areas };
  const ctx = await createContext(config, {
    areas: AREAS,
    database,
    logger: createLogger(opts.logLevel ?? 'debug', sink),
    masterKey: { key: randomBytes(32), source: 'env' },
  });
  const app = await buildApp(ctx, AREAS);
  const keys = {} as Record<Role, string>;
  for (const role of ROLES) keys[role] = (await ctx.services.apiKeys.create({ role, name: `test ${role}` })).key;
  return {
    ctx,
    app,
    database,
    logs: () => chunks.join(''),
    keys,
    auth: (role) => ({ authorization: `Bearer ${keys[role]}` }),
    async close() {
      await app.close();
      await closeContext(ctx);
    },
  };
}
