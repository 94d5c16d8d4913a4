// `fanzha keys create | list | revoke`. Keys are printed on stdout alone so scripts can capture them.
import { Option, type Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { say } from '../cli/cli-io.ts';
import { ROLES } from '../http/roles.ts';

export function registerApiKeysCommands(program: Command, { withContext, io }: CliHelpers) {
  const keys = program.command('keys').description('manage API keys');
  keys
    .command('create')
    .description('create an API key; prints only the key')
    .addOption(new Option('--role <role>', 'role of the key').choices([...ROLES]).makeOptionMandatory())
    .option('--principal <id>', 'the principal (staff account, partner, API client) the key acts for')
    .option('--name <name>', 'a label for the key')
    .action(async (o) =>
      withContext(async (ctx) => {
        const { key } = await ctx.services.apiKeys.create({ role: o.role, principalId: o.principal, name: o.name });
        io.stdout.write(key + '\n');
      }),
    );
  keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--json', 'print JSON')
    .action(async (o) =>
      withContext(async (ctx) => {
        const list = await ctx.services.apiKeys.list();
        if (o.json) return void io.stdout.write(JSON.stringify(list, null, 2) + '\n');
        for (const k of list) {
          io.stdout.write(
            `${k.id}  ${k.role.padEnd(7)}  ${k.prefix}…  ${k.revokedAt ? 'revoked ' + k.revokedAt : 'active'}  ${k.principalId ?? '-'}  ${k.name}\n`,
          );
        }
      }),
    );
  keys
    .command('revoke <id>')
    .description('revoke an API key by id')
    .action(async (id: string) =>
      withContext(async (ctx) => {
        if (!(await ctx.services.apiKeys.revoke(id))) {
          say(io, `no active key ${id}`);
          io.exitCode = 1;
        } else say(io, `revoked ${id}`);
      }),
    );
}
