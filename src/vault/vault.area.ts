import type { Area } from '../app/area.ts';
import type { EnvelopeKeyRing } from './key-ring.ts';
import { VaultService, vaultConfig } from './vault.service.ts';
import { vaultRoutes } from './vault.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    /** Set in bootstrap (before any area): ctx.cipher seals with it. */
    keyRing: EnvelopeKeyRing;
    vault: VaultService;
  }
}

const KEY_REFRESH_MS = 60_000;

export const vaultArea: Area = {
  name: 'vault',
  setup(ctx) {
    const s = ctx.services;
    s.vault = new VaultService(ctx.database, ctx.cipher, s.keyRing, s.audit, s.alerts, vaultConfig(ctx.config.areas));
  },
  routes: vaultRoutes,
  start(ctx) {
    // Picks up data keys rotated by another node (reads also reload on an unknown key id).
    const t = setInterval(() => ctx.services.keyRing.reload().catch((e) => ctx.logger.warn({ err: e }, 'vault key reload failed')), KEY_REFRESH_MS);
    t.unref();
    ctx.closers.push(() => clearInterval(t));
  },
};
