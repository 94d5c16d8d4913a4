// The canaries & fingerprinted-exports area: canary customers and their trips, fingerprinted
// partner exports with per-recipient substitutes, and matching of leaked files.
// Settings (config file, "areas": {"canaries": {...}}):
//   virtualNumbers: string[]        virtual numbers the shop rents for privacy waybills
//   monitoredContacts: [{phone, email?}]  watched contacts fanzha may plant as export canary rows
//   defaultCanaryRows: number       canary rows per export when a request does not say (default 1)
//   webhookSecret: string           (>= 16 chars) enables the signed POST /v1/canaries/webhook
import { Counter } from 'prom-client';
import type { Area } from '../app/area.ts';
import { registerCanaryCommands } from './canaries.cli.ts';
import type { MonitoredContact } from './canaries.service.ts';
import { CanariesService } from './canaries.service.ts';
import { CanariesRepository } from './canaries.repository.ts';
import { ExportsRepository } from './exports.repository.ts';
import { ExportsService, type ExportsConfig } from './exports.service.ts';
import { LeakMatchService } from './leak-match.service.ts';
import { canariesRoutes } from './canaries.routes.ts';
import { exportsRoutes } from './exports.routes.ts';
import { leakMatchRoutes } from './leak-match.routes.ts';
import { canariesWebhookRoutes } from './canaries.webhook.ts';
import { DecisionService } from './decision.service.ts';
import { decisionRoutes } from './decision.routes.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    canaries: CanariesService;
    exports: ExportsService;
    leakMatch: LeakMatchService;
    decisions: DecisionService;
  }
}

export interface CanariesConfig extends ExportsConfig {
  /** Shared secret of the signed trip webhook; the webhook is off without it. */
  webhookSecret?: string;
}

export function canariesConfig(raw: unknown): CanariesConfig {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const contacts = Array.isArray(o.monitoredContacts)
    ? (o.monitoredContacts as unknown[]).flatMap((c): MonitoredContact[] => {
        if (typeof c === 'string') return [{ phone: c }];
        if (c && typeof c === 'object' && typeof (c as MonitoredContact).phone === 'string') return [c as MonitoredContact];
        return [];
      })
    : [];
  const rows = Number(o.defaultCanaryRows ?? 1);
  const secret = typeof o.webhookSecret === 'string' && o.webhookSecret.length >= 16 ? o.webhookSecret : undefined;
  return {
    virtualNumbers: strings(o.virtualNumbers),
    monitoredContacts: contacts,
    defaultCanaryRows: Number.isInteger(rows) && rows >= 0 ? Math.min(rows, 20) : 1,
    ...(secret ? { webhookSecret: secret } : {}),
  };
}

export const canariesArea: Area = {
  name: 'canaries',
  setup(ctx) {
    const { shop, audit, vault } = ctx.services;
    const canaries = new CanariesService(new CanariesRepository(ctx.database.db, shop), ctx.cipher, vault.system, ctx.logger);
    const exportsRepo = new ExportsRepository(ctx.database.db, shop, audit.reads);
    ctx.services.canaries = canaries;
    // Alerting systems watch this counter; labels are scope kinds and channels, never ids or contacts.
    const trips = new Counter({
      name: 'fanzha_canary_trips_total',
      help: 'Canary trips (new, not repeats) by scope kind and channel',
      labelNames: ['scope_kind', 'channel'] as const,
      registers: [ctx.metrics.registry],
    });
    canaries.onTrip((a) => trips.inc({ scope_kind: a.trip.scope.kind, channel: a.trip.channel }));
    // a trip proves a leak: pushed on-call at once (the message names the scope, never the contact)
    canaries.onTrip((a) => {
      if (!a.duplicate)
        ctx.services.oncall.push({
          kind: 'canary-trip',
          severity: 'high',
          key: `canary-trip:${a.trip.canaryId}`,
          title: `Canary tripped: ${a.trip.scope.kind} ${a.trip.scope.id}`,
          text: a.message,
          data: { tripId: a.trip.id, canaryId: a.trip.canaryId, scope: a.trip.scope, channel: a.trip.channel },
        });
    });
    ctx.services.exports = new ExportsService(
      exportsRepo,
      canaries,
      ctx.services.events,
      ctx.cipher,
      vault.system,
      canariesConfig(ctx.config.areas.canaries),
      ctx.logger,
    );
    // downloads of export files and canary lookups of real customers are access-log entries
    ctx.services.exports.setAccessRecorder((entries) => ctx.services.audit.record(entries));
    canaries.setAccessRecorder((entries) => ctx.services.audit.record(entries));
    const leakMatch = new LeakMatchService(exportsRepo, canaries, ctx.cipher);
    ctx.services.leakMatch = leakMatch;
    // the deciding step between an investigation's not-excluded principals (investigations are set up first)
    const pool = canariesConfig(ctx.config.areas.canaries).monitoredContacts;
    const exportsSvc = ctx.services.exports;
    ctx.services.decisions = new DecisionService(
      (id) => ctx.services.investigations.get(id),
      canaries,
      () => pool,
      leakMatch,
      (ids) => exportsSvc.substituteCalls({ principalIds: ids }),
      ctx.logger,
    );
  },
  async routes(app, ctx) {
    await canariesRoutes(app, ctx);
    await exportsRoutes(app, ctx);
    await leakMatchRoutes(app, ctx);
    await decisionRoutes(app, ctx);
    await canariesWebhookRoutes(app, ctx, canariesConfig(ctx.config.areas.canaries).webhookSecret);
  },
  commands: registerCanaryCommands,
};
