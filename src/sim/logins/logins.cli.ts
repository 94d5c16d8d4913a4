// `fanzha logins simulate` (write the mixed traffic as NDJSON) and `fanzha logins evaluate`
// (replay it through fanzha and both baselines, print the comparison).
import { createWriteStream } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { loadGuardConfig } from '../../guard/guard.config.ts';
import { generateTraffic } from './traffic.ts';
import { runEvaluation, formatReport, worldOptions } from './evaluate.ts';
import { runSweep, formatSweep } from './sweep.ts';

const int = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`not a non-negative integer: ${v}`);
  return n;
};

export function registerLoginsCommands(program: Command) {
  const logins = program.command('logins').description('login protection: simulated traffic and the evaluation against baselines');
  const world = (c: Command) =>
    c
      .option('--seed <n>', 'random seed', int, 1)
      .option('--customers <n>', 'customers of the simulated shop', int, 3000)
      .option('--days <n>', 'measured days (after 14 days of warm-up)', int, 7)
      .option('--attacks <n>', 'stuffing runs, each with random parameters (rotation, spread, device ids, unknown usernames, pacing, valid pairs)', int, 4);

  world(logins.command('simulate'))
    .description('generate mixed login traffic (customers and stuffing attacks) as NDJSON with ground truth')
    .option('--out <file>', 'write here instead of stdout')
    .action(async (o) => {
      const t = generateTraffic(worldOptions(o));
      const out = o.out ? createWriteStream(o.out) : process.stdout;
      for (const a of t.attempts) out.write(JSON.stringify({ ...a, at: new Date(Date.UTC(2026, 0, 1) + a.t).toISOString() }) + '\n');
      if (o.out) await new Promise((r) => (out as ReturnType<typeof createWriteStream>).end(r));
      console.error(`${t.attempts.length} attempts, ${t.validPairs} valid stolen pairs tried`);
    });

  world(logins.command('evaluate'))
    .description('replay the same traffic through fanzha, the rate-limiter-flexible login recipe and Auth0 defaults')
    .option('--json', 'print the report as JSON')
    .option('--sweep', 'instead: one run per attack family (each parameter moved from a base run), fanzha beside both baselines')
    .option('--only <text>', 'with --sweep: only families whose name contains this')
    .option('--markdown', 'with --sweep: print a Markdown table')
    .action(async (o) => {
      // thresholds from the configuration file (areas.guard), as the server would use them
      const guard = loadGuardConfig(loadConfig(process.env).areas.guard);
      if (o.sweep) {
        const rs = await runSweep({ ...o, guard, onFamily: (n) => process.stderr.write(`${n}\n`) });
        process.stdout.write((o.json ? JSON.stringify(rs, null, 2) : formatSweep(rs, o.markdown)) + '\n');
        if (rs.some((r) => !r.goalMet)) process.exitCode = 1;
        return;
      }
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: '{label} [{bar}] {value}/{total}', stream: process.stderr }, Presets.shades_classic)
        : undefined;
      let label = '';
      const r = await runEvaluation({
        ...o,
        guard,
        onProgress: (l, done, total) => {
          if (!bar) return;
          if (l !== label) {
            if (label) bar.stop();
            label = l;
            bar.start(total, 0, { label: l.padEnd(30) });
          }
          bar.update(done);
        },
      });
      bar?.stop();
      process.stdout.write((o.json ? JSON.stringify(r, null, 2) : formatReport(r)) + '\n');
      if (!r.goalMet) process.exitCode = 1;
    });
}
