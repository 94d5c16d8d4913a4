// `fanzha audit verify | checkpoint | export-checkpoints | public-key | scan-alerts | partitions | prune`.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { say } from '../cli/cli-io.ts';
import { ensurePartitions, listPartitions } from './partitions.ts';
import { retentionCut } from './retention.ts';

const HOUR = 3_600_000;

function readArg(v: string): string {
  try {
    return readFileSync(v, 'utf8');
  } catch {
    return v;
  }
}

export function registerAuditCommands(program: Command, { withContext, io }: CliHelpers) {
  const audit = program.command('audit').description('the tamper-evident access log');

  audit
    .command('verify')
    .description('verify the access log; exit 1 and report the first bad position if it was altered')
    .option('--checkpoints <file>', 'signed checkpoints held outside the shop (as exported); default: the stored ones')
    .option('--verifier-key <vkey|file>', 'verifier key for --checkpoints (default: this installation’s key)')
    .option('--json', 'print JSON')
    .action(async (o) =>
      withContext(async (ctx) => {
        const r = await ctx.services.audit.verify(
          o.checkpoints ? { notes: readFileSync(o.checkpoints, 'utf8'), verifierKey: o.verifierKey ? readArg(o.verifierKey).trim() : undefined } : {},
        );
        if (o.json) io.stdout.write(JSON.stringify(r) + '\n');
        else if (r.intact) io.stdout.write(`intact: ${r.size} entries, head ${r.head}, ${r.checkpointsChecked} checkpoints matched\n`);
        else io.stdout.write(`NOT INTACT at shard ${r.shard} position ${r.position}: ${r.reason}\n`);
        if (!r.intact) io.exitCode = 1;
      }),
    );

  audit
    .command('checkpoint')
    .description('sign a checkpoint of the current log and print it (C2SP signed note)')
    .action(async () => withContext(async (ctx) => void io.stdout.write((await ctx.services.audit.checkpoint()).note)));

  audit
    .command('export-checkpoints')
    .description('print (or write) every signed checkpoint, to keep outside the shop')
    .option('--out <file>')
    .action(async (o) =>
      withContext(async (ctx) => {
        const text = await ctx.services.audit.exportNotes();
        if (o.out) writeFileSync(o.out, text);
        else io.stdout.write(text);
      }),
    );

  audit
    .command('public-key')
    .description('print the checkpoint verifier key (give it to whoever holds your checkpoints)')
    .action(async () => withContext(async (ctx) => void io.stdout.write(ctx.services.audit.signer.verifierKey() + '\n')));

  audit
    .command('scan-alerts')
    .description('evaluate access-alert rules over a time range (default: the last 24 hours)')
    .option('--from <iso>')
    .option('--to <iso>')
    .action(async (o) =>
      withContext(async (ctx) => {
        const to = o.to ? Date.parse(o.to) : Date.now();
        const from = o.from ? Date.parse(o.from) : to - 24 * HOUR;
        if (Number.isNaN(from) || Number.isNaN(to)) throw new Error('--from/--to must be ISO 8601 times');
        say(io, `new alerts: ${await ctx.services.alerts.scan(from, to)}`);
      }),
    );

  audit
    .command('partitions')
    .description('PostgreSQL: create this month’s access-log partition and the next two if missing, and list them')
    .action(async () =>
      withContext(async (ctx) => {
        if (ctx.database.dialect !== 'postgres') return void io.stdout.write('SQLite keeps the access log in one table: no partitions\n');
        const created = await ensurePartitions(ctx.database.db);
        for (const p of await listPartitions(ctx.database.db)) {
          const range = p.from === null ? 'DEFAULT (rows no month covers)' : `${new Date(p.from).toISOString()} .. ${new Date(p.to!).toISOString()}`;
          io.stdout.write(`${p.name}\t${range}${created.includes(p.name) ? '\t(created)' : ''}\n`);
        }
      }),
    );

  audit
    .command('prune')
    .description('remove access-log entries older than areas.audit.retentionDays (whole months; verifies first, leaves a signed anchor)')
    .option('--json', 'print JSON')
    .action(async (o) =>
      withContext(async (ctx) => {
        const audit = ctx.services.audit;
        const cut = new Date(retentionCut(Date.now(), audit.config.retentionDays)).toISOString();
        const r = await audit.prune();
        if (o.json) io.stdout.write(JSON.stringify(r) + '\n');
        else if (!r.pruned && !r.months.length) io.stdout.write(`nothing recorded before ${cut} to remove\n`);
        else
          io.stdout.write(
            `removed ${r.pruned} entries recorded before ${cut}${r.months.length ? ` (partitions ${r.months.join(', ')} dropped)` : ''}; anchor ${r.anchorId}\n`,
          );
      }),
    );
}
