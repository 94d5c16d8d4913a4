import type { Area } from '../app/area.ts';
import { registerSettingsCommands } from './settings.cli.ts';
import { SettingsStore } from './settings.service.ts';
import { settingsRoutes } from './settings.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    /** Settings changed at run time; areas own their keys (vault.masking, notify.template.*). */
    settings: SettingsStore;
  }
}

/** How long a node may serve a setting another node changed (areas.settings.cacheMs). */
export const DEFAULT_SETTINGS_CACHE_MS = 2_000;

export const settingsArea: Area = {
  name: 'settings',
  setup(ctx) {
    const c = (ctx.config.areas.settings ?? {}) as { cacheMs?: unknown };
    const ttlMs = typeof c.cacheMs === 'number' && c.cacheMs >= 0 ? c.cacheMs : DEFAULT_SETTINGS_CACHE_MS;
    ctx.services.settings = new SettingsStore(ctx.database, { ttlMs });
  },
  routes: settingsRoutes,
  commands: registerSettingsCommands,
};
