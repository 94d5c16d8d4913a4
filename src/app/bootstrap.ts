// Builds an AppContext from configuration: master key, storage (migrated), crypto, and the
// services of the areas the composition root passes in (src/app/areas.ts lists them).
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { checkAreas, type Config } from '../config/config.ts';
import { resolveMasterKey, type MasterKey } from '../config/master-key.ts';
import { openDatabase, migrateToLatest, type Database } from '../db/database.ts';
import { FieldCipher } from '../vault/field-cipher.ts';
import { shopHasCustomers } from '../shop/shop.probe.ts';
import { EnvelopeKeyRing } from '../vault/key-ring.ts';
import { LocalKeyProvider } from '../vault/key-provider.ts';
import { Metrics } from '../http/metrics.ts';
import { createLogger } from '../http/logger.ts';
import type { Area } from './area.ts';
import type { AppContext, AreaServices } from './context.ts';

export interface BootstrapOptions {
  /** The areas to set up, in order (`AREAS` from areas.ts, or fewer in a test). */
  areas: readonly Area[];
  logger?: Logger;
  /** Use this database instead of opening config.db (tests). */
  database?: Database;
  masterKey?: MasterKey;
  migrate?: boolean;
}

export async function createContext(config: Config, opts: BootstrapOptions): Promise<AppContext> {
  checkAreas(config.areas);
  const database = opts.database ?? openDatabase(config.db);
  if (opts.migrate !== false) await migrateToLatest(database);
  let masterKey: MasterKey;
  try {
    masterKey =
      opts.masterKey ??
      (await resolveMasterKey(
        config.masterKeyText,
        config.dataDir,
        async () => (await EnvelopeKeyRing.hasKeys(database.db)) || (await shopHasCustomers(database.db)),
      ));
  } catch (e) {
    if (!opts.database) await database.close();
    throw e;
  }
  // Envelope encryption: data keys wrapped by the master key (src/vault/key-ring.ts).
  const keyRing = await EnvelopeKeyRing.open(database.db, new LocalKeyProvider(masterKey.key), masterKey.key);
  const ctx: AppContext = {
    config,
    masterKey,
    database,
    cipher: new FieldCipher(keyRing),
    metrics: new Metrics(),
    logger: opts.logger ?? createLogger(config.logLevel),
    services: { keyRing } as Partial<AreaServices> as AreaServices,
    readiness: [
      {
        name: 'database',
        async check() {
          await sql`SELECT 1`.execute(database.db);
        },
      },
    ],
    closers: [() => database.close()],
  };
  for (const area of opts.areas) await area.setup?.(ctx);
  return ctx;
}

/** Starts every area's background work (workers, schedulers). */
export async function startAreas(ctx: AppContext, areas: readonly Area[]) {
  for (const area of areas) await area.start?.(ctx);
}

export async function closeContext(ctx: AppContext) {
  for (const c of [...ctx.closers].reverse()) {
    try {
      await c();
    } catch (e) {
      ctx.logger.warn({ err: e }, 'error while closing');
    }
  }
}
