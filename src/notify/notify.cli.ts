// `fanzha notify …` and `fanzha contacts …` commands.
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';

export function registerNotifyCommands(program: Command, helpers: CliHelpers) {
  const { io } = helpers;
  const notify = program.command('notify').description('notification outbox');
  notify
    .command('status')
    .description('count notices by delivery status')
    .action(async () =>
      helpers.withContext(async (ctx) => {
        const counts = await ctx.services.notify.service.outbox.countByStatus();
        io.stdout.write(JSON.stringify(counts, null, 2) + '\n');
      }),
    );
  notify
    .command('drain')
    .description('deliver due notices now (without starting the server), then exit')
    .action(async () =>
      helpers.withContext(async (ctx) => {
        let total = 0;
        for (let n = await ctx.services.notify.worker.runOnce(); n > 0; n = await ctx.services.notify.worker.runOnce()) total += n;
        io.stdout.write(`processed ${total} notices\n`);
      }),
    );

  const contacts = program.command('contacts').description('official contact sessions');
  contacts
    .command('purge')
    .description('delete contact session details past retention (the aggregate stays)')
    .action(async () =>
      helpers.withContext(async (ctx) => {
        io.stdout.write(`purged ${await ctx.services.contacts.purge()} sessions\n`);
      }),
    );
}
