#!/usr/bin/env node
// The `fanzha` command. Keys are printed on stdout alone so scripts can capture them;
// everything else that is not a result goes to stderr.
import { Command, Option } from 'commander';
import { loadConfig, ConfigError } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { openDatabase, migrateToLatest } from '../db/database.ts';
import { ROLES } from '../http/roles.ts';
import { createLogger } from '../http/logger.ts';
import { serve } from './serve.ts';
import { importNdjson } from './import.ts';
import { registerExtraCommands } from './commands.ts';

const program = new Command('fanzha').description('fanzha — fight refund scams and find the leak').showHelpAfterError();
const quietLogger = () => createLogger(process.env.FANZHA_LOG_LEVEL ?? 'warn', process.stderr as never);

async function withContext<T>(opts: { db?: string }, fn: (ctx: Awaited<ReturnType<typeof createContext>>) => Promise<T>): Promise<T> {
  const ctx = await createContext(loadConfig(process.env, { db: opts.db }), { logger: quietLogger() });
  try {
    return await fn(ctx);
  } finally {
    await closeContext(ctx);
  }
}

program
  .command('serve')
  .description('start the HTTP service')
  .option('--port <n>', 'port to listen on (FANZHA_PORT, default 8080)', (v) => Number(v))
  .option('--host <host>', 'address to bind (FANZHA_HOST, default 127.0.0.1)')
  .option('--db <url>', 'sqlite:PATH or postgres://... (FANZHA_DB)')
  .option('--demo', 'load the simulated demo shop into an empty database')
  .action(async (o) => serve({ port: o.port, host: o.host, db: o.db, demo: !!o.demo }));

program
  .command('migrate')
  .description('apply pending database migrations')
  .option('--db <url>', 'sqlite:PATH or postgres://...')
  .action(async (o) => {
    const config = loadConfig(process.env, { db: o.db });
    const database = openDatabase(config.db);
    try {
      const applied = await migrateToLatest(database);
      console.error(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    } finally {
      await database.close();
    }
  });

const keys = program.command('keys').description('manage API keys');
keys
  .command('create')
  .description('create an API key; prints only the key')
  .addOption(new Option('--role <role>', 'role of the key').choices([...ROLES]).makeOptionMandatory())
  .option('--principal <id>', 'the principal (staff account, partner, API client) the key acts for')
  .option('--name <name>', 'a label for the key')
  .option('--db <url>')
  .action(async (o) =>
    withContext(o, async (ctx) => {
      const { key } = await ctx.services.apiKeys.create({ role: o.role, principalId: o.principal, name: o.name });
      process.stdout.write(key + '\n');
    }),
  );
keys
  .command('list')
  .description('list API keys (never the keys themselves)')
  .option('--json', 'print JSON')
  .option('--db <url>')
  .action(async (o) =>
    withContext(o, async (ctx) => {
      const list = await ctx.services.apiKeys.list();
      if (o.json) return void process.stdout.write(JSON.stringify(list, null, 2) + '\n');
      for (const k of list) {
        process.stdout.write(`${k.id}  ${k.role.padEnd(7)}  ${k.prefix}…  ${k.revokedAt ? 'revoked ' + k.revokedAt : 'active'}  ${k.principalId ?? '-'}  ${k.name}\n`);
      }
    }),
  );
keys
  .command('revoke <id>')
  .description('revoke an API key by id')
  .option('--db <url>')
  .action(async (id, o) =>
    withContext(o, async (ctx) => {
      if (!(await ctx.services.apiKeys.revoke(id))) {
        console.error(`no active key ${id}`);
        process.exitCode = 1;
      } else console.error(`revoked ${id}`);
    }),
  );

program
  .command('import <file>')
  .description('import shop events from an NDJSON file (same contract as POST /v1/events)')
  .option('--db <url>')
  .option('--no-progress', 'no progress bar')
  .action(async (file, o) =>
    withContext(o, async (ctx) => {
      const s = await importNdjson(ctx, file, { progress: o.progress && process.stderr.isTTY });
      console.error(`lines ${s.lines}, accepted ${s.accepted}, duplicates ${s.duplicates}, rejected ${s.rejected.length}`);
      for (const r of s.rejected.slice(0, 20)) console.error(`  line ${r.line}${r.id ? ` (${r.id})` : ''}: ${r.problem.detail ?? r.problem.title}`);
      if (s.rejected.length) process.exitCode = 1;
    }),
  );

registerExtraCommands(program, { withContext });

program.parseAsync(process.argv).catch((e) => {
  if (e instanceof ConfigError) {
    console.error(`fanzha: configuration error: ${e.message}`);
    process.exit(2);
  }
  console.error(`fanzha: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
