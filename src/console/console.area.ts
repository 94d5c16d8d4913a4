import type { Area } from '../app/area.ts';
import { ConsoleSessionService, DEFAULT_SESSION_SETTINGS, type SessionSettings } from './session.service.ts';
import { SessionRepository } from './session.repository.ts';
import { consoleRoutes } from './console.routes.ts';
import { consoleStatic } from './console.static.ts';
import './console.tables.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    consoleSessions: ConsoleSessionService;
  }
}

function sessionSettings(raw: unknown): SessionSettings {
  const s = (raw ?? {}) as { idleMinutes?: unknown; absoluteHours?: unknown };
  const pos = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  return {
    idleMs: pos(s.idleMinutes) ? (s.idleMinutes as number) * 60_000 : DEFAULT_SESSION_SETTINGS.idleMs,
    absoluteMs: pos(s.absoluteHours) ? (s.absoluteHours as number) * 3600_000 : DEFAULT_SESSION_SETTINGS.absoluteMs,
  };
}

export const consoleArea: Area = {
  name: 'console',
  setup(ctx) {
    // Settings under areas.console in the config file: { "idleMinutes": 120, "absoluteHours": 12 }.
    ctx.services.consoleSessions = new ConsoleSessionService(
      new SessionRepository(ctx.database.db),
      ctx.services.apiKeys,
      sessionSettings(ctx.config.areas.console),
    );
  },
  async routes(app, ctx) {
    await consoleRoutes(app, ctx);
    await consoleStatic(app);
  },
};
