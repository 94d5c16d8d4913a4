// `fanzha warning-list …` and `fanzha cases …`: the same operations as the API, for setup
// scripts and for analysts working on the server.
import { Option, type Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { WARNING_KINDS } from './reports.schemas.ts';
import { caseStats } from './case-stats.ts';
import { caseFileMarkdown } from './sharing.ts';
import { shopTimeZone } from '../shop/shop.config.ts';
import { caseStixBundle, EXTENSION_SCHEMA_PATH } from './stix.ts';
import { reportsConfig } from './reports.config.ts';

export function registerReportsCommands(program: Command, helpers: CliHelpers) {
  const { io } = helpers;
  const wl = program.command('warning-list').description("the shop's official channels (never linked, never in feeds)");
  wl.command('add')
    .description('add an official hotline, domain, SMS signature or merchant name')
    .addOption(new Option('--kind <kind>').choices([...WARNING_KINDS]).makeOptionMandatory())
    .requiredOption('--value <value>')
    .option('--label <label>')
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        const r = await ctx.services.reports.warningList.add(o.kind, o.value, o.label ?? null);
        if (!r) throw new Error(`not a valid ${o.kind}`);
        io.stdout.write(`${r.created ? 'added' : 'exists'} ${r.entry.id} ${r.entry.kind} ${r.entry.value}\n`);
      }),
    );
  wl.command('list').action(async () =>
    helpers.withContext(async (ctx) => {
      for (const e of await ctx.services.reports.warningList.entries()) io.stdout.write(`${e.id}  ${e.kind.padEnd(10)}  ${e.value}  ${e.label ?? ''}\n`);
    }),
  );

  const cases = program.command('cases').description('scam cases built from reports');
  cases
    .command('list')
    .option('--min-reports <n>', 'only cases with at least n reports', '2')
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        for (const c of await ctx.services.reports.listCases({ limit: 500, offset: 0, minReports: Number(o.minReports) }))
          io.stdout.write(`${c.id}  ${String(c.reports).padStart(5)} reports  updated ${c.updatedAt}\n`);
      }),
    );
  cases
    .command('export <caseId>')
    .description('write a case as a STIX 2.1 bundle or a printable case file to stdout')
    .addOption(new Option('--format <format>').choices(['stix', 'casefile']).default('casefile'))
    .action(async (caseId: string, o) =>
      helpers.withContext(async (ctx) => {
        const svc = ctx.services.reports;
        const root = await svc.resolveCase(caseId);
        const s = root ? await caseStats(svc, root) : null;
        if (!s) throw new Error('no such case');
        const cfg = reportsConfig(ctx.config.areas);
        const producer = cfg.producerName;
        if (o.format === 'stix')
          io.stdout.write(
            JSON.stringify(
              caseStixBundle(s, await svc.caseIndicators(s.id), {
                producerName: producer,
                schemaUrl: `${cfg.publicUrl || `http://localhost:${ctx.config.port}`}${EXTENSION_SCHEMA_PATH}`,
              }),
              null,
              2,
            ) + '\n',
          );
        else io.stdout.write(caseFileMarkdown(s, await svc.caseReports(s.id), await svc.casePayments(s.id), producer, shopTimeZone(ctx.config.areas)));
      }),
    );
}
