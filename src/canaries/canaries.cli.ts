// CLI of the canaries area: `fanzha leaks match FILE`, `fanzha canaries list|trips`.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import type { MatchResult } from './leak-match.service.ts';
import type { LeakFormat } from './leak-match.extract.ts';

const FORMATS: LeakFormat[] = ['auto', 'csv', 'tsv', 'jsonl', 'json', 'text'];

/** A command group shared with other areas (e.g. investigations also live under `leaks`). */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

export function printMatch(r: MatchResult, out: (s: string) => void) {
  out(
    `${r.records} records (${r.format}); found ${r.matched.realCustomers} real customers, ${r.matched.canaries} canaries, ${r.matched.substitutes} substitutes; ${r.matched.unmatchedRecords} records matched nothing.\n`,
  );
  if (!r.candidates.length) return out('No export or scope explains these records.\n');
  out(`Population ${r.population} customers; ${r.recipientsTested} export recipients tested.\n\n`);
  for (const [i, c] of r.candidates.entries()) {
    out(`${i + 1}. ${c.scope.kind} ${c.scope.id}  score ${c.score}  ${c.verdict}\n`);
    out(`   ${c.explanation}\n`);
    for (const e of c.exports.slice(0, 3)) out(`   export ${e.exportId}: ${e.covered} of its ${e.size} customers found\n`);
  }
}

export function registerCanaryCommands(program: Command, helpers: CliHelpers) {
  const { io } = helpers;
  const leaks = group(program, 'leaks', 'find and attribute leaks');
  leaks
    .command('match <file>')
    .description('say which exports and recipients best explain a leaked file (CSV, TSV, JSON lines, JSON or text; "-" reads stdin)')
    .option('--format <format>', `one of ${FORMATS.join(', ')}`, 'auto')
    .option('--alpha <p>', 'corrected p-value under which coverage alone is significant', (v) => Number(v), 1e-3)
    .option('--limit <n>', 'candidates to show', (v) => Number(v), 10)
    .option('--json', 'print JSON')
    .action(async (file: string, o) => {
      if (!FORMATS.includes(o.format)) throw new Error(`--format must be one of ${FORMATS.join(', ')}`);
      const content = readFileSync(file === '-' ? 0 : file, 'utf8');
      await helpers.withContext(async (ctx) => {
        const r = await ctx.services.leakMatch.match(content, { format: o.format, alpha: o.alpha, limit: o.limit });
        if (o.json) io.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else printMatch(r, (s) => io.stdout.write(s));
      });
    });

  const canaries = group(program, 'canaries', 'canary customers and their trips');
  canaries
    .command('list')
    .description('list canaries (ids and scopes, never their contacts)')
    .option('--scope-kind <kind>')
    .option('--scope <id>')
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        for (const c of await ctx.services.canaries.list({ scopeKind: o.scopeKind, scopeId: o.scope, limit: 1000 })) {
          io.stdout.write(
            `${c.id}  ${c.scope.kind} ${c.scope.id}${c.recipientId && c.scope.kind === 'export' ? ` → ${c.recipientId}` : ''}  customer ${c.customerId}  trips ${c.trips}\n`,
          );
        }
      }),
    );
  canaries
    .command('trips')
    .description('list canary trips (alerts), newest first')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        for (const t of await ctx.services.canaries.trips({ limit: o.limit })) {
          io.stdout.write(`${new Date(t.receivedAt).toISOString()}  ${t.canaryId}  ${t.channel}  ${t.scope.kind} ${t.scope.id}\n`);
        }
      }),
    );
}
