// Commands contributed by areas (audit, sim, leaks, passwords, incidents...). Each area adds
// its own `register…Commands(program, helpers)` call here.
import type { Command } from 'commander';
import type { AppContext } from '../app/context.ts';
import { registerAuditCommands } from '../audit/audit.commands.ts';
import { registerCanaryCommands } from '../canaries/canaries.cli.ts';
import { registerLoginsCommands } from '../sim/logins/logins.cli.ts';
import { registerNotifyCommands } from '../notify/notify.cli.ts';
import { registerPasswordsCommands } from '../passwords/passwords.cli.ts';
import { registerReportsCommands } from '../reports/reports.cli.ts';
import { registerSimCommands } from '../sim/sim.command.ts';
import { registerVaultCommands } from '../vault/vault.commands.ts';
import { registerIncidentsCommands } from '../incidents/incidents.cli.ts';
import { registerSettingsCommands } from '../settings/settings.cli.ts';

export interface CliHelpers {
  /** Opens the configured storage and services, runs fn, closes everything. */
  withContext<T>(opts: { db?: string }, fn: (ctx: AppContext) => Promise<T>): Promise<T>;
}

export function registerExtraCommands(program: Command, helpers: CliHelpers) {
  registerAuditCommands(program, helpers);
  registerVaultCommands(program, helpers);
  registerPasswordsCommands(program);
  registerLoginsCommands(program);
  registerNotifyCommands(program, helpers);
  registerCanaryCommands(program, helpers);
  registerReportsCommands(program, helpers);
  registerIncidentsCommands(program, helpers);
  registerSettingsCommands(program, helpers);
  registerSimCommands(program);
}
