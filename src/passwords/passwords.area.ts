import path from 'node:path';
import type { Area } from '../app/area.ts';
import { registerPasswordsCommands } from './passwords.cli.ts';
import { PasswordsService } from './passwords.service.ts';
import { passwordsRoutes } from './passwords.routes.ts';
import { ConfigError } from '../config/config.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    passwords: PasswordsService;
  }
}

interface PasswordsConfig {
  /** Directory of the stores (default: <dataDir>/passwords). */
  dir?: string;
  /** Anonymous range queries per IP per minute. */
  rangePerMinute?: number;
}

function load(raw: unknown): Required<PasswordsConfig> & { dir?: string } {
  const r = (raw && typeof raw === 'object' ? raw : {}) as PasswordsConfig;
  const perMinute = r.rangePerMinute ?? 600;
  if (!Number.isInteger(perMinute) || perMinute < 1) throw new ConfigError('areas.passwords.rangePerMinute must be a positive integer');
  return { dir: r.dir!, rangePerMinute: perMinute };
}

export const passwordsArea: Area = {
  name: 'passwords',
  setup(ctx) {
    const cfg = load(ctx.config.areas.passwords);
    const svc = new PasswordsService(cfg.dir ? path.resolve(cfg.dir) : path.join(ctx.config.dataDir, 'passwords'), ctx.logger);
    ctx.services.passwords = svc;
    ctx.closers.push(() => svc.close());
  },
  async routes(app, ctx) {
    await passwordsRoutes(app, ctx, { perMinute: load(ctx.config.areas.passwords).rangePerMinute });
  },
  start(ctx) {
    // First start: build the starter corpus now rather than on the first query.
    ctx.services.passwords.ensureStarter();
  },
  commands: registerPasswordsCommands,
};
