import type { Command } from 'commander';
import type { App } from '../http/app.types.ts';
import type { AppContext } from './context.ts';
import type { CliIo } from '../cli/cli-io.ts';

/** What the `fanzha` command offers an area's CLI (src/cli/main.ts builds it). */
export interface CliHelpers {
  /** The command's environment, output streams and exit code (write through these, never to process.*). */
  io: CliIo;
  /** Opens the storage named by the root `--db` option (or FANZHA_DB) and every service, runs fn, closes everything. */
  withContext<T>(fn: (ctx: AppContext) => Promise<T>): Promise<T>;
}

/**
 * An area of the product (events, vault, reports...). `setup` builds its services into
 * ctx.services (areas set up earlier are available); `routes` registers its HTTP endpoints;
 * `start` begins background work when the server runs (workers), not in one-off CLI commands;
 * `commands` adds its `fanzha …` subcommands (in the area's `*.cli.ts`).
 * The list of areas lives in `areas.ts` and is handed in by the composition roots (the CLI,
 * the test app): nothing an area imports may import that list.
 */
export interface Area {
  name: string;
  setup?(ctx: AppContext): void | Promise<void>;
  routes?(app: App, ctx: AppContext): void | Promise<void>;
  start?(ctx: AppContext): void | Promise<void>;
  commands?(program: Command, helpers: CliHelpers): void;
}
