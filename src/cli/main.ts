#!/usr/bin/env node
// The `fanzha` command, one of the composition roots: it hands the list of areas to the context
// and lets each area add its own subcommands (`Area.commands`, in the area's `*.cli.ts`). Keys are
// printed on stdout alone so scripts can capture them; everything else that is not a result goes
// to stderr.
import { Command } from 'commander';
import { loadConfig, ConfigError } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import type { CliHelpers } from '../app/area.ts';
import { openDatabase, migrateToLatest } from '../db/database.ts';
import { createLogger } from '../http/logger.ts';
import { serve } from './serve.ts';
import { registerSimCommands } from '../sim/sim.cli.ts';
import { registerLoginsCommands } from '../sim/logins/logins.cli.ts';

const program = new Command('fanzha')
  .description('fanzha — fight refund scams and find the leak')
  // One storage option for every subcommand; it may stand before or after the subcommand.
  .option('--db <url>', 'sqlite:PATH or postgres://... (default: FANZHA_DB, else sqlite:<dataDir>/fanzha.db)')
  .showHelpAfterError();
const db = (): string | undefined => program.opts<{ db?: string }>().db;
const quietLogger = () => createLogger(process.env.FANZHA_LOG_LEVEL ?? 'warn', process.stderr as never);

const helpers: CliHelpers = {
  async withContext(fn) {
    const ctx = await createContext(loadConfig(process.env, { db: db() }), { areas: AREAS, logger: quietLogger() });
    try {
      return await fn(ctx);
    } finally {
      await closeContext(ctx);
    }
  },
};

program
  .command('serve')
  .description('start the HTTP service')
  .option('--port <n>', 'port to listen on (FANZHA_PORT, default 8080)', (v) => Number(v))
  .option('--host <host>', 'address to bind (FANZHA_HOST, default 127.0.0.1)')
  .option('--demo', 'load the simulated demo shop into an empty database')
  .action(async (o) => serve({ port: o.port, host: o.host, db: db(), demo: !!o.demo }));

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const database = openDatabase(loadConfig(process.env, { db: db() }).db);
    try {
      const applied = await migrateToLatest(database);
      console.error(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.close();
    }
  });

for (const area of AREAS) area.commands?.(program, helpers);
// The simulators are development tools, not areas: no services, no routes, never loaded by the server.
registerSimCommands(program);
registerLoginsCommands(program);

program.parseAsync(process.argv).catch((e) => {
  if (e instanceof ConfigError) {
    console.error(`fanzha: configuration error: ${e.message}`);
    process.exit(2);
  }
  console.error(`fanzha: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
