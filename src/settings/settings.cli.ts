// CLI of the settings store: `fanzha settings masking|templates|changes`. The same checks as the
// admin API; changes are recorded as by `cli:<OS user>` (whoever runs it holds the database).
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { CliHelpers } from '../app/area.ts';
import { cliActor } from '../cli/cli-user.ts';
import { MASKED_ROLES, FIELD_VIEWS, type MaskedRole, type RoleViews } from '../vault/masking.settings.ts';
import { VAULT_FIELDS, type VaultField } from '../vault/masking.ts';
import { NOTICE_TEMPLATES, type NoticeTemplate } from '../notify/notifier.port.ts';
import { LANGS, type Lang } from '../notify/templates.ts';

function oneOf<T extends string>(what: string, v: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) throw new Error(`unknown ${what} "${v}"; use one of ${allowed.join(', ')}`);
  return v as T;
}

export function registerSettingsCommands(program: Command, helpers: CliHelpers) {
  const out = (s: string): void => void helpers.io.stdout.write(s);
  const settings = program.command('settings').description('masking rules and notice texts changed at run time, and their history');

  const masking = settings.command('masking').description('what each role sees of each personal-data field');
  masking
    .command('show')
    .option('--json', 'print JSON')
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        const roles = await ctx.services.masking.roles();
        const overridden = !!(await ctx.services.masking.stored());
        if (o.json) return out(JSON.stringify({ roles, overridden }, null, 2) + '\n');
        out(`${'role'.padEnd(8)} ${VAULT_FIELDS.map((f) => f.padEnd(8)).join(' ')}${overridden ? '' : '   (configuration defaults)'}\n`);
        for (const r of MASKED_ROLES) out(`${r.padEnd(8)} ${VAULT_FIELDS.map((f) => roles[r][f].padEnd(8)).join(' ')}\n`);
      }),
    );
  masking
    .command('set <role> <field> <view>')
    .description(`e.g. "agent phone mask"; views: ${VAULT_FIELDS.map((f) => `${f} ${FIELD_VIEWS[f].join('|')}`).join('; ')}`)
    .action(async (role: string, field: string, view: string) =>
      helpers.withContext(async (ctx) => {
        const r = oneOf<MaskedRole>('role', role, MASKED_ROLES);
        const f = oneOf<VaultField>('field', field, VAULT_FIELDS);
        const v = oneOf('view', view, FIELD_VIEWS[f]);
        const current = (await ctx.services.masking.roles())[r];
        const { changed } = await ctx.services.masking.update({ [r]: { ...current, [f]: v } as RoleViews }, cliActor());
        out(changed ? `${r} now sees ${f} as "${v}"\n` : `unchanged: ${r} already sees ${f} as "${v}"\n`);
      }),
    );
  masking
    .command('reset')
    .description("back to the configuration file's rules")
    .action(async () =>
      helpers.withContext(async (ctx) => {
        const { changed } = await ctx.services.masking.reset(cliActor());
        out(changed ? 'masking rules reset to the configuration\n' : 'no stored masking rules: the configuration is in force\n');
      }),
    );

  const templates = settings.command('templates').description('the texts of customer notices (zh-CN and English)');
  templates.command('list').action(async () =>
    helpers.withContext(async (ctx) => {
      for (const e of await ctx.services.notify.templates.list())
        out(`${e.template.padEnd(28)} ${e.lang.padEnd(6)} ${e.override ? 'overridden' : 'built-in  '}  variables: ${e.variables.join(', ')}\n`);
    }),
  );
  templates
    .command('show <template> <lang>')
    .description('the text in force, rendered with sample values')
    .action(async (template: string, lang: string) =>
      helpers.withContext(async (ctx) => {
        const r = await ctx.services.notify.templates.preview(
          oneOf<NoticeTemplate>('template', template, NOTICE_TEMPLATES),
          oneOf<Lang>('language', lang, LANGS),
        );
        out(`${r.subject}\n\n${r.text}\n`);
      }),
    );
  templates
    .command('set <template> <lang>')
    .description('store an override; variables are written {name}, e.g. {shop} and {orderId}')
    .requiredOption('--subject <text>', 'subject (mail) / title')
    .option('--text <text>', 'the text')
    .option('--text-file <file>', 'read the text from a file (UTF-8)')
    .action(async (template: string, lang: string, o) =>
      helpers.withContext(async (ctx) => {
        const text = o.textFile ? readFileSync(o.textFile, 'utf8') : o.text;
        if (typeof text !== 'string') throw new Error('give --text or --text-file');
        const t = oneOf<NoticeTemplate>('template', template, NOTICE_TEMPLATES);
        const l = oneOf<Lang>('language', lang, LANGS);
        const { changed } = await ctx.services.notify.templates.put(t, l, { subject: o.subject, text }, cliActor());
        const r = await ctx.services.notify.templates.preview(t, l);
        out(`${changed ? 'stored' : 'unchanged'}; with sample values it reads:\n${r.subject}\n\n${r.text}\n`);
      }),
    );
  templates
    .command('reset <template> <lang>')
    .description('back to the built-in text')
    .action(async (template: string, lang: string) =>
      helpers.withContext(async (ctx) => {
        const removed = await ctx.services.notify.templates.remove(
          oneOf<NoticeTemplate>('template', template, NOTICE_TEMPLATES),
          oneOf<Lang>('language', lang, LANGS),
          cliActor(),
        );
        out(removed ? 'override removed: the built-in text is in force\n' : 'no override: the built-in text was already in force\n');
      }),
    );

  settings
    .command('changes')
    .description('who changed which setting, when (newest first)')
    .option('--prefix <key>', 'only keys starting with this (vault.masking, notify.template.)')
    .option('--limit <n>', 'how many', (v) => Number(v), 50)
    .action(async (o) =>
      helpers.withContext(async (ctx) => {
        for (const c of await ctx.services.settings.changes({ prefix: o.prefix, limit: o.limit }))
          out(`${new Date(c.at).toISOString()}  ${c.key}  by ${c.by.keyName ?? '-'} (${c.by.keyId ?? '-'}, ${c.by.role ?? '-'})\n`);
      }),
    );
}
