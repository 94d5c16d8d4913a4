// `fanzha keys rotate-master | rotate-data | reencrypt | ring`.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync, chmodSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { say } from '../cli/cli-io.ts';
import { parseMasterKey } from '../config/master-key.ts';
import { LocalKeyProvider } from './key-provider.ts';

function writeKeyFile(file: string, key: Buffer) {
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function registerVaultCommands(program: Command, { withContext, io }: CliHelpers) {
  const keys = program.commands.find((c) => c.name() === 'keys') ?? program.command('keys');

  keys
    .command('rotate-master')
    .description('re-wrap every vault key under a new master key (data and ciphertexts are untouched; running servers keep serving)')
    .option('--new-key-file <path>', 'file holding the new master key (64 hex characters or base64); or set FANZHA_NEW_MASTER_KEY')
    .option('--generate', 'generate the new master key (written over the data directory key file)')
    .action(async (o) =>
      withContext(async (ctx) => {
        const given = o.newKeyFile ? readFileSync(o.newKeyFile, 'utf8') : io.env.FANZHA_NEW_MASTER_KEY;
        if (!given && !o.generate) throw new Error('give --new-key-file, FANZHA_NEW_MASTER_KEY or --generate');
        if (o.generate && ctx.masterKey.source === 'env')
          throw new Error('the master key comes from FANZHA_MASTER_KEY: generate one yourself and pass it with --new-key-file');
        const next = given ? parseMasterKey(given) : randomBytes(32);
        const file = ctx.masterKey.file;
        // The new key reaches disk before any key is re-wrapped under it, so a crash cannot lose it.
        if (file) writeKeyFile(file + '.new', next);
        const n = await ctx.services.keyRing.rotateMaster(new LocalKeyProvider(next));
        if (file) {
          renameSync(file + '.new', file);
          say(io, `re-wrapped ${n} keys; ${file} now holds the new master key (${new LocalKeyProvider(next).kid}). Restart servers at your convenience.`);
        } else {
          say(
            io,
            `re-wrapped ${n} keys under ${new LocalKeyProvider(next).kid}. Set FANZHA_MASTER_KEY to the new key before the next restart; running servers keep serving.`,
          );
        }
      }),
    );

  keys
    .command('rotate-data')
    .description('create a new active data key; old data stays readable and is re-encrypted lazily (or now with --reencrypt)')
    .option('--reencrypt', 're-encrypt every stored customer now')
    .action(async (o) =>
      withContext(async (ctx) => {
        const id = await ctx.services.keyRing.rotateDataKey();
        say(io, `new active data key ${id}`);
        if (o.reencrypt) say(io, `re-encrypted ${await ctx.services.vault.reencryptCustomers()} customers`);
      }),
    );

  keys
    .command('reencrypt')
    .description('re-encrypt every customer still sealed by a retired data key (resumable: safe to run again)')
    .action(async () =>
      withContext(async (ctx) => {
        const n = await ctx.services.vault.reencryptCustomers((d) => io.stderr.isTTY && io.stderr.write(`\r${d} customers`));
        say(io, `\nre-encrypted ${n} customers`);
      }),
    );

  keys
    .command('ring')
    .description('list the vault key ring (ids and states, never key material)')
    .action(async () =>
      withContext(async (ctx) => {
        for (const k of await ctx.services.keyRing.list())
          io.stdout.write(`${k.id}  ${k.purpose.padEnd(6)}  ${k.state.padEnd(7)}  ${k.wrapKid}  ${new Date(k.createdAt).toISOString()}\n`);
      }),
    );
}
