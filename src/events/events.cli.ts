// `fanzha import FILE.ndjson`: shop events from a file, the same contract as POST /v1/events.
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { say } from '../cli/cli-io.ts';
import { importNdjson } from './events.import.ts';

export function registerEventsCommands(program: Command, { withContext, io }: CliHelpers) {
  program
    .command('import <file>')
    .description('import shop events from an NDJSON file (same contract as POST /v1/events)')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, o) =>
      withContext(async (ctx) => {
        const s = await importNdjson(ctx, file, { progress: o.progress && io.stderr.isTTY });
        say(io, `lines ${s.lines}, accepted ${s.accepted}, duplicates ${s.duplicates}, rejected ${s.rejected.length}`);
        for (const r of s.rejected.slice(0, 20)) say(io, `  line ${r.line}${r.id ? ` (${r.id})` : ''}: ${r.problem.detail ?? r.problem.title}`);
        if (s.rejected.length) io.exitCode = 1;
      }),
    );
}
