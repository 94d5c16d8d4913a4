// The application context: configuration, storage, crypto and every area's service, built
// once per process (or per test). Areas add their services to `services` by augmenting
// `AreaServices` in their own module, so this file does not grow with every area.
import type { Logger } from 'pino';
import type { Config } from '../config/config.ts';
import type { MasterKey } from '../config/master-key.ts';
import type { Database } from '../db/database.ts';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { Metrics } from '../http/metrics.ts';

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface AreaServices {}

export interface ReadinessCheck {
  name: string;
  /** Resolves when healthy; rejects (or returns a reason string) when not. */
  check(): Promise<void | string>;
}

export interface AppContext {
  config: Config;
  masterKey: MasterKey;
  database: Database;
  cipher: FieldCipher;
  metrics: Metrics;
  logger: Logger;
  services: AreaServices;
  readiness: ReadinessCheck[];
  /** Closers run in reverse order on shutdown (workers, timers, connections). */
  closers: (() => Promise<void> | void)[];
}
