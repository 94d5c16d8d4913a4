// Prints the OpenAPI document the server serves at /openapi.json (sorted keys, stable), built on a
// throw-away in-memory database: `npx tsx scripts/openapi-dump.ts > openapi.json`. Used to check
// that a refactoring leaves the API unchanged (diff the output before and after).
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { createContext, closeContext } from '../src/app/bootstrap.ts';
import { buildApp } from '../src/http/app.ts';
import { AREAS } from '../src/app/areas.ts';
import { createLogger } from '../src/http/logger.ts';

const sortKeys = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(sortKeys)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
        )
      : v;

const dataDir = mkdtempSync(path.join(tmpdir(), 'fanzha-openapi-'));
const config = loadConfig({ FANZHA_DATA_DIR: dataDir, FANZHA_DB: 'sqlite::memory:' });
const ctx = await createContext(config, { areas: AREAS, logger: createLogger('error'), masterKey: { key: randomBytes(32), source: 'env' } });
const app = await buildApp(ctx, AREAS);
const res = await app.inject({ url: '/openapi.json' });
process.stdout.write(JSON.stringify(sortKeys(res.json()), null, 1) + '\n');
await app.close();
await closeContext(ctx);
