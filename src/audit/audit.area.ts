import type { Area } from '../app/area.ts';
import { registerAuditCommands } from './audit.cli.ts';
import { AuditService, auditConfig } from './audit.service.ts';
import { AlertService, alertRules } from './alerts.ts';
import { onCallConfig } from './oncall.config.ts';
import { OnCallService } from './oncall.service.ts';
import { alertMessage } from './oncall.messages.ts';
import { NoteSigner } from './signed-note.ts';
import { auditRoutes } from './audit.routes.ts';
import { adoptLegacyRows, ensureShardHeads, setChainKey } from './append.ts';
import { ensurePartitions } from './partitions.ts';

declare module '../app/context.ts' {
  interface AreaServices {
    audit: AuditService;
    alerts: AlertService;
    /** Pushes alerts (access rules, canary trips) to the on-call analysts' robots, webhook and e-mail. */
    oncall: OnCallService;
  }
}

const HOUR = 3_600_000;

export const auditArea: Area = {
  name: 'audit',
  async setup(ctx) {
    const cfg = auditConfig(ctx.config.areas);
    // The Ed25519 seed is a vault secret: wrapped by the master key, so a database administrator
    // who can edit the log cannot sign a checkpoint for the edited log.
    const seed = await ctx.services.keyRing.secret('audit-signing');
    // The chain key: without the master key nobody can compute a valid entry hash.
    const chainKey = await ctx.services.keyRing.secret('audit-chain');
    await ensureShardHeads(ctx.database, chainKey, cfg.shards);
    await adoptLegacyRows(ctx.database, chainKey);
    // PostgreSQL: this month's partition and the next ones exist before anything is appended
    if (ctx.database.dialect === 'postgres') await ensurePartitions(ctx.database.db);
    setChainKey(ctx.database, chainKey, cfg.shards);
    ctx.services.audit = new AuditService(ctx.database, new NoteSigner(cfg.origin, seed), cfg, chainKey);
    ctx.services.alerts = new AlertService(ctx.database, alertRules(ctx.config.areas));
    const oncall = new OnCallService(onCallConfig(ctx.config.areas), ctx.logger.child({ area: 'audit', part: 'oncall' }), ctx.metrics.registry);
    ctx.services.oncall = oncall;
    ctx.services.alerts.onRaised((a) => oncall.push(alertMessage(a)));
    ctx.closers.push(() => oncall.close());
  },
  routes: auditRoutes,
  start(ctx) {
    const audit = ctx.services.audit;
    const tick = Math.min(60, Math.max(1, audit.config.checkpointEverySeconds)) * 1000;
    const cp = setInterval(() => {
      audit.maybeCheckpoint().catch((e) => ctx.logger.error({ err: e }, 'audit checkpoint failed'));
    }, tick);
    // Baseline rules over the last two hours (late history is re-evaluated; alerts are stored once).
    const scan = setInterval(() => {
      const now = Date.now();
      ctx.services.alerts.scan(now - 2 * HOUR, now).catch((e) => ctx.logger.error({ err: e }, 'access alert scan failed'));
    }, 5 * 60_000);
    // Partitions ahead and, when enabled, retention: now and every few hours (a no-op most times).
    const log = ctx.logger.child({ area: 'audit', part: 'retention' });
    const maintain = async () => {
      if (ctx.database.dialect === 'postgres') {
        const created = await ensurePartitions(ctx.database.db);
        if (created.length) log.info({ created }, 'access-log partitions created');
      }
      if (audit.config.prune) {
        const r = await audit.prune();
        if (r.pruned || r.months.length)
          log.info({ pruned: r.pruned, months: r.months, cutAt: new Date(r.cutAt).toISOString() }, 'access log pruned by retention');
      }
    };
    const run = () => void maintain().catch((e) => log.error({ err: e }, 'access-log maintenance failed'));
    run();
    const maint = setInterval(run, 6 * HOUR);
    cp.unref();
    scan.unref();
    maint.unref();
    ctx.closers.push(() => {
      clearInterval(cp);
      clearInterval(scan);
      clearInterval(maint);
    });
  },
  commands: registerAuditCommands,
};
