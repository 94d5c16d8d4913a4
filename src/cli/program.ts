// The `fanzha` command tree, one of the composition roots: it hands the list of areas to the
// context and lets each area add its own subcommands (`Area.commands`, in the area's `*.cli.ts`).
// Keys are printed on stdout alone so scripts can capture them; everything else that is not a
// result goes to stderr. Built per run around a CliIo, so a test can run a command in-process.
import { Command, CommanderError } from 'commander';
import { loadConfig, ConfigError } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import type { CliHelpers } from '../app/area.ts';
import { openDatabase, migrateToLatest } from '../db/database.ts';
import { createLogger } from '../http/logger.ts';
import { serve } from './serve.ts';
import { registerSimCommands } from '../sim/sim.cli.ts';
import { registerLoginsCommands } from '../sim/logins/logins.cli.ts';
import { say, type CliIo } from './cli-io.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command('fanzha')
    .description('fanzha — fight refund scams and find the leak')
    // Commander reports a usage error by throwing (runCli turns it into the exit code) rather than
    // exiting the process; set before the subcommands, which inherit it.
    .exitOverride()
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    // One storage option for every subcommand; it may stand before or after the subcommand.
    .option('--db <url>', 'sqlite:PATH or postgres://... (default: FANZHA_DB, else sqlite:<dataDir>/fanzha.db)')
    .showHelpAfterError();
  const db = (): string | undefined => program.opts<{ db?: string }>().db;
  const quietLogger = () => createLogger(io.env.FANZHA_LOG_LEVEL ?? 'warn', io.stderr as never);

  const helpers: CliHelpers = {
    io,
    async withContext(fn) {
      const ctx = await createContext(loadConfig(io.env, { db: db() }), { areas: AREAS, logger: quietLogger() });
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
    .action(async (o) => serve({ port: o.port, host: o.host, db: db(), demo: !!o.demo }, io));

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const database = openDatabase(loadConfig(io.env, { db: db() }).db);
      try {
        const applied = await migrateToLatest(database);
        say(io, applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      } finally {
        await database.close();
      }
    });

  for (const area of AREAS) area.commands?.(program, helpers);
  // The simulators are development tools, not areas: no services, no routes, never loaded by the server.
  registerSimCommands(program);
  registerLoginsCommands(program);
  return program;
}

/** Runs one command line (argv as process.argv: node, script, args…); resolves to its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync(argv);
    return io.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander has printed the message (and help)
    if (e instanceof ConfigError) {
      say(io, `fanzha: configuration error: ${e.message}`);
      return 2;
    }
    say(io, `fanzha: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
