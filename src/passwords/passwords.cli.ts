// `fanzha passwords import FILE` and `fanzha passwords check`.
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../config/config.ts';
import type { CliHelpers } from '../app/area.ts';
import { say, type CliIo } from '../cli/cli-io.ts';
import { importHibpFile } from './range-store.writer.ts';
import { PasswordsService } from './passwords.service.ts';

function passwordsDir(o: { dir?: string }, io: CliIo) {
  if (o.dir) return path.resolve(o.dir);
  const cfg = loadConfig(io.env);
  const area = (cfg.areas.passwords ?? {}) as { dir?: string };
  return area.dir ? path.resolve(area.dir) : path.join(cfg.dataDir, 'passwords');
}

export function registerPasswordsCommands(program: Command, { io }: CliHelpers) {
  const pw = program.command('passwords').description('breached-password corpus (HIBP-compatible range API)');
  pw.command('import <file>')
    .description("import the HIBP downloader's sorted HASH:COUNT file (SHA-1 or NTLM) into the range store; replaces that mode's store")
    .option('--dir <dir>', 'store directory (default: <dataDir>/passwords)')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, o: { dir?: string; progress: boolean }) => {
      const dir = passwordsDir(o, io);
      const bar =
        o.progress && io.stderr.isTTY
          ? new SingleBar(
              { format: 'importing [{bar}] {percentage}% | {value}/{total} MB | ETA {eta}s', stream: io.stderr as NodeJS.WritableStream },
              Presets.shades_classic,
            )
          : undefined;
      let started = false;
      const t0 = Date.now();
      const r = await importHibpFile(
        file,
        (mode) => path.join(dir, `${mode}.fzpw`),
        (read, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(Math.ceil(total / 1e6), 0);
            started = true;
          }
          bar.update(Math.floor(read / 1e6));
        },
      );
      bar?.stop();
      say(
        io,
        `imported ${r.count} ${r.mode.toUpperCase()} hashes into ${r.path} in ${((Date.now() - t0) / 1000).toFixed(1)} s; running servers pick it up within 30 s`,
      );
    });
  pw.command('check')
    .description('read a password from stdin and print how often it appears in the corpus')
    .option('--dir <dir>', 'store directory')
    .option('--mode <mode>', 'sha1 or ntlm', 'sha1')
    .action(async (o: { dir?: string; mode: 'sha1' | 'ntlm' }) => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      const password = Buffer.concat(chunks)
        .toString('utf8')
        .replace(/\r?\n$/, '');
      const svc = new PasswordsService(passwordsDir(o, io));
      try {
        svc.ensureStarter();
        io.stdout.write(`${await svc.timesSeen(password, o.mode)}\n`);
      } finally {
        await svc.close();
      }
    });
}
