// CLI of the incidents area: `fanzha incidents list|show|create|contain|notify|report`.
// Actions from the CLI are recorded as by `cli:<OS user>` (whoever runs it has the database).
import { writeFileSync } from 'node:fs';
import { cliActor } from '../cli/cli-user.ts';
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import type { Caller } from '../http/roles.ts';
import type { Incident } from './incidents.types.ts';
import { renderPdf } from './report.pdf.ts';
import { incidentsConfig } from './incidents.config.ts';

function cliCaller(): Caller {
  return { ...cliActor(), principalId: null };
}

const list = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function line(i: Incident): string {
  return `${i.id}  ${i.state.padEnd(9)}  ${String(i.affected).padStart(7)} affected  ${i.principalIds.join(',')}  ${i.title}\n`;
}

export function registerIncidentsCommands(program: Command, helpers: CliHelpers) {
  const inc = program.command('incidents').description('leak incidents: open, contain, notify, report');
  const out = (s: string): void => void helpers.io.stdout.write(s);

  inc
    .command('list')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .action(async (o) => helpers.withContext(async (ctx) => (await ctx.services.incidents.list(o.limit)).forEach((i) => out(line(i)))));

  inc
    .command('show <id>')
    .option('--json', 'print JSON')
    .action(async (id: string, o) =>
      helpers.withContext(async (ctx) => {
        const i = await ctx.services.incidents.get(id);
        if (!i) throw new Error(`no incident ${id}`);
        const events = await ctx.services.incidents.events(id);
        const progress = await ctx.services.incidents.progress(id);
        if (o.json) return out(JSON.stringify({ ...i, events, progress }, null, 2) + '\n');
        out(line(i));
        out(
          `fields ${i.fields.join(',')}  window ${i.from} – ${i.to}\nby field ${JSON.stringify(i.counts.byField)}\nby province ${JSON.stringify(i.counts.byProvince)}\n`,
        );
        out(`notices: ${JSON.stringify(progress)}\n`);
        for (const e of events) out(`  ${e.at}  ${e.kind}${e.toState ? ` → ${e.toState}` : ''}  by ${e.byKey ?? '-'}${e.reason ? `  (${e.reason})` : ''}\n`);
      }),
    );

  inc
    .command('create')
    .description('open an incident from --investigation, --trip, or by hand (--title --principals --fields --from --to)')
    .option('--investigation <id>')
    .option('--trip <id>', 'a canary trip id')
    .option('--match-scope <kind:id>', 'a leak match candidate scope, e.g. principal:agent-17')
    .option('--title <text>')
    .option('--principals <ids>', 'comma-separated', list)
    .option('--fields <fields>', 'comma-separated', list)
    .option('--from <iso>')
    .option('--to <iso>')
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        const [kind, ...rest] = o.matchScope ? String(o.matchScope).split(':') : [];
        const [i, created] = await ctx.services.incidents.create(
          {
            investigationId: o.investigation,
            canaryTripId: o.trip,
            leakMatch: o.matchScope ? { scope: { kind: kind!, id: rest.join(':') } } : undefined,
            title: o.title,
            principalIds: o.principals,
            fields: o.fields,
            from: o.from,
            to: o.to,
          },
          cliCaller(),
        );
        out((created ? 'opened ' : 'already open ') + line(i));
      }),
    );

  inc
    .command('contain <id>')
    .description("revoke the principals' keys, freeze their reveals, send the signed webhook")
    .action(async (id: string) => helpers.withContext(async (ctx) => out(line(await ctx.services.incidents.contain(id, cliCaller())))));

  inc
    .command('notify <id>')
    .description('notify every affected customer once (a re-run notifies nobody twice)')
    .action(async (id: string) => helpers.withContext(async (ctx) => out(JSON.stringify(await ctx.services.incidents.notify(id, cliCaller())) + '\n')));

  inc
    .command('report <id>')
    .description('write the regulator report or post-mortem (Markdown, or PDF with --pdf FILE)')
    .option('--kind <kind>', 'regulator or postmortem', 'regulator')
    .option('--pdf <file>', 'write a PDF here')
    .action(async (id: string, o) =>
      helpers.withContext(async (ctx) => {
        if (o.kind !== 'regulator' && o.kind !== 'postmortem') throw new Error('--kind must be regulator or postmortem');
        const md = await ctx.services.incidents.report(id, o.kind);
        if (!o.pdf) return out(md);
        writeFileSync(o.pdf, await renderPdf(md, incidentsConfig(ctx.config.areas).pdfFont));
        out(`wrote ${o.pdf}\n`);
      }),
    );
}
