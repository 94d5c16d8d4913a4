// Commands contributed by areas (audit, sim, leaks, passwords, incidents...). Each area adds
// its own `register…Commands(program, helpers)` call here.
import type { Command } from 'commander';
import type { AppContext } from '../app/context.ts';
import { registerSimCommands } from '../sim/sim.command.ts';

export interface CliHelpers {
  /** Opens the configured storage and services, runs fn, closes everything. */
  withContext<T>(opts: { db?: string }, fn: (ctx: AppContext) => Promise<T>): Promise<T>;
}

export function registerExtraCommands(program: Command, _helpers: CliHelpers) {
  registerSimCommands(program);
}
