import { loadConfig, type ConfigOverrides } from '../config/config.ts';
import { createContext, startAreas, closeContext } from '../app/bootstrap.ts';
import { buildApp } from '../http/app.ts';
import { AREAS } from '../app/areas.ts';
import type { CliIo } from './cli-io.ts';

export interface ServeOptions extends ConfigOverrides {
  /** Loads demo data into an empty database (see src/sim). */
  demo?: boolean;
}

export async function serve(opts: ServeOptions, io: CliIo) {
  const config = loadConfig(io.env, opts);
  const ctx = await createContext(config, { areas: AREAS });
  const say = (line: string) => void io.stdout.write(line + '\n');
  if (ctx.masterKey.source === 'generated') {
    say(
      `fanzha: no FANZHA_MASTER_KEY given; generated a new master key in ${ctx.masterKey.file} (mode 0600). Back it up: without it the stored personal data cannot be read.`,
    );
  }
  if ((await ctx.services.apiKeys.count()) === 0) {
    const { key } = await ctx.services.apiKeys.create({ role: 'admin', name: 'first admin key' });
    say('');
    say('fanzha: first start with an empty database — created an admin API key. It is shown only this once:');
    say('');
    say(`    ${key}`);
    say('');
    say('  Use it as "Authorization: Bearer <key>". Create more keys with');
    say('    npx fanzha keys create --role analyst|agent|ingest|admin [--principal ID] [--name NAME]');
    say('  or POST /v1/keys with the admin key.');
    say('');
  }
  if (opts.demo) {
    // Loaded only here: the simulator is a development and demo tool, never part of a running area.
    const { loadDemo } = await import('../sim/demo.ts');
    await loadDemo(ctx, say);
  }
  const app = await buildApp(ctx, AREAS);
  await startAreas(ctx, AREAS);
  const address = await app.listen({ port: config.port, host: config.host });
  const where = config.db.kind === 'sqlite' ? `SQLite ${config.db.path}` : 'PostgreSQL';
  say(`fanzha: listening on ${address}  (storage: ${where})`);
  say(`  console: ${address}/console (sign in with an admin or analyst key)   public pages: ${address}/report  ${address}/check`);
  say(`  API docs: ${address}/docs   OpenAPI: ${address}/openapi.json   health: ${address}/healthz   metrics: ${address}/metrics`);
  const stop = async () => {
    await app.close();
    await closeContext(ctx);
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
