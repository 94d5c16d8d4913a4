import type { Area } from '../app/area.ts';
import { registerVaultCommands } from './vault.cli.ts';
import type { EnvelopeKeyRing } from './key-ring.ts';
import { VaultService, vaultConfig } from './vault.service.ts';
import { vaultRoutes } from './vault.routes.ts';
import { MaskingRules } from './masking.settings.ts';
import { maskingRoutes } from './masking.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    /** Set in bootstrap (before any area): ctx.cipher seals with it. */
    keyRing: EnvelopeKeyRing;
    vault: VaultService;
    /** The masking rules in force (configuration defaults + the stored override). */
    masking: MaskingRules;
  }
}

const KEY_REFRESH_MS = 60_000;

export const vaultArea: Area = {
  name: 'vault',
  setup(ctx) {
    const s = ctx.services;
    const config = vaultConfig(ctx.config.areas);
    s.vault = new VaultService(ctx.database, ctx.cipher, s.keyRing, s.audit, s.alerts, config);
    s.masking = new MaskingRules(s.settings, config.masking);
    s.vault.setMaskingSource(() => s.masking.current());
  },
  async routes(app, ctx) {
    await vaultRoutes(app, ctx);
    await maskingRoutes(ctx.services.masking)(app, ctx);
  },
  start(ctx) {
    // Picks up data keys rotated by another node (reads also reload on an unknown key id).
    const t = setInterval(() => ctx.services.keyRing.reload().catch((e) => ctx.logger.warn({ err: e }, 'vault key reload failed')), KEY_REFRESH_MS);
    t.unref();
    ctx.closers.push(() => clearInterval(t));
  },
  commands: registerVaultCommands,
};
