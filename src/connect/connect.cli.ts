// `fanzha connect mysql|nats` (long-running connectors; Ctrl-C or SIGTERM finishes the batch in
// hand and stops) and `fanzha import-logs` (one file of staff console access log). The connectors
// and their client libraries are loaded when their command runs, not by every `fanzha` command.
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { say } from '../cli/cli-io.ts';

function untilSignal(): AbortSignal {
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return ac.signal;
}

export function registerConnectCommands(program: Command, { withContext, io }: CliHelpers) {
  const log = (line: string) => say(io, line);
  const connect = program.command('connect').description("stream a shop's data into fanzha");

  connect
    .command('mysql')
    .description('change data capture from a MySQL/MariaDB binlog (ROW format): a snapshot, then streaming')
    .requiredOption('--url <url>', 'mysql://USER[:PASSWORD]@HOST:PORT/DB (the user needs SELECT, REPLICATION SLAVE and REPLICATION CLIENT)')
    .requiredOption('--mapping <file>', 'JSON mapping of the shop tables and columns (docs/integration.md)')
    .option('--name <name>', 'name of the saved position (default mysql:HOST:PORT/DB)')
    .option('--batch <n>', 'events per committed batch', (v) => Number(v), 1000)
    .action(async (o) => {
      const [{ loadMapping }, { MysqlConnector }, { PositionStore }] = await Promise.all([
        import('./mysql/mysql.mapping.ts'),
        import('./mysql/mysql.connector.ts'),
        import('./connect.positions.ts'),
      ]);
      const mapping = loadMapping(o.mapping);
      await withContext(async (ctx) => {
        const c = new MysqlConnector(ctx.services.events, new PositionStore(ctx.database.db), { url: o.url, mapping, name: o.name, batchSize: o.batch, log });
        await c.run(untilSignal());
        const t = c.sink.totals;
        log(`stopped: accepted ${t.accepted}, duplicates ${t.duplicates}, rejected ${t.rejected}`);
      });
    });

  connect
    .command('nats')
    .description('durable JetStream consumer of v1 events (one JSON event or an array per message)')
    .requiredOption('--url <url>', 'nats://HOST:PORT')
    .requiredOption('--stream <name>', 'JetStream stream holding the events')
    .requiredOption('--subject <subject>', 'subject (filter) of the events')
    .option('--durable <name>', 'durable consumer name', 'fanzha')
    .option('--dead-letter <subject>', 'subject for rejected events (default fanzha.dead-letter.<stream>)')
    .option('--batch <n>', 'messages per batch', (v) => Number(v), 1000)
    .action(async (o) => {
      const { NatsConnector } = await import('./nats/nats.connector.ts');
      await withContext(async (ctx) => {
        const c = new NatsConnector(ctx.services.events, {
          url: o.url,
          stream: o.stream,
          subject: o.subject,
          durable: o.durable,
          deadLetter: o.deadLetter,
          batchSize: o.batch,
          log,
        });
        await c.run(untilSignal());
        const t = c.sink.totals;
        log(`stopped: accepted ${t.accepted}, duplicates ${t.duplicates}, rejected ${t.rejected} (dead-lettered to ${c.deadLetter})`);
      });
    });

  program
    .command('import-logs <file>')
    .description("turn the staff console's HTTP access log into data.accessed events")
    .requiredOption('--format <format>', 'nginx or json')
    .requiredOption('--rules <file>', 'JSON rules: URL patterns → customer/order and fields, where the principal is (docs/integration.md)')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, o) => {
      if (o.format !== 'nginx' && o.format !== 'json') throw new Error('--format must be nginx or json');
      const [{ importLogs }, { loadRules }] = await Promise.all([import('./logs/logs.import.ts'), import('./logs/logs.rules.ts')]);
      const rules = loadRules(o.rules);
      await withContext(async (ctx) => {
        const s = await importLogs(ctx.services.events, file, { format: o.format, rules, progress: o.progress && io.stderr.isTTY });
        log(`lines ${s.lines}, reads ${s.reads} (accepted ${s.accepted}, duplicates ${s.duplicates}, rejected ${s.rejected.length})`);
        log(
          `unparsed ${s.unparsed.count}${s.unparsed.lines.length ? ` (lines ${s.unparsed.lines.join(', ')})` : ''}, unmatched ${s.unmatched.count}, no principal ${s.noPrincipal}, status skipped ${s.skippedStatus}`,
        );
        for (const u of s.unmatched.top) log(`  unmatched ${u.count}× ${u.shape}`);
        for (const r of s.rejected.slice(0, 20)) log(`  line ${r.line}: ${r.problem}`);
        if (s.rejected.length) io.exitCode = 1;
      });
    });
}
