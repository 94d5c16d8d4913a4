// /v1/settings/templates: the notice texts, their overrides, previews (admin edits, analyst reads).
import { Type } from '@sinclair/typebox';
import type { App } from '../http/app.types.ts';
import type { AppContext } from '../app/context.ts';
import { problems } from '../http/problem.ts';
import { SETTINGS_EDITORS, SETTINGS_READERS, actorOf } from '../settings/settings.routes.ts';
import { NOTICE_TEMPLATES } from './notifier.port.ts';
import { LANGS } from './templates.ts';
import { TEXT_LIMITS, type TemplateEntry, type TemplateOverrides } from './template-overrides.ts';

const TemplateText = Type.Object({ subject: Type.String(), text: Type.String() });
const TemplateItem = Type.Object({
  template: Type.String(),
  lang: Type.String(),
  /** The {variables} the texts may use. */
  variables: Type.Array(Type.String()),
  builtIn: TemplateText,
  override: Type.Union([
    Type.Object({
      subject: Type.String(),
      text: Type.String(),
      updatedAt: Type.String({ format: 'date-time' }),
      updatedBy: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
});
const Params = Type.Object({ template: Type.Union(NOTICE_TEMPLATES.map((t) => Type.Literal(t))), lang: Type.Union(LANGS.map((l) => Type.Literal(l))) });
// Lengths are checked again on the trimmed text (checkTemplateText); these bound the request.
const Body = Type.Object(
  { subject: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.subject + 20 }), text: Type.String({ minLength: 1, maxLength: TEXT_LIMITS.text + 50 }) },
  { additionalProperties: false },
);
const PreviewBody = Type.Object(
  { subject: Type.Optional(Body.properties.subject), text: Type.Optional(Body.properties.text) },
  { additionalProperties: false },
);

const item = (e: TemplateEntry) => ({ ...e, override: e.override && { ...e.override, updatedAt: new Date(e.override.updatedAt).toISOString() } });

export function templatesRoutes(templates: TemplateOverrides) {
  return async (app: App, _ctx: AppContext) => {
    const tags = ['settings'];
    app.get(
      '/v1/settings/templates',
      {
        config: SETTINGS_READERS,
        schema: {
          tags,
          summary: 'Every notice template in every language: built-in text, override, variables',
          response: { 200: Type.Object({ items: Type.Array(TemplateItem) }) },
        },
      },
      async () => ({
        items: (await templates.list()).map(item),
      }),
    );

    app.put(
      '/v1/settings/templates/:template/:lang',
      {
        config: SETTINGS_EDITORS,
        schema: {
          tags,
          summary: 'Override the subject and text of a template in one language (same variables as the built-in text, SMS rules, recorded)',
          params: Params,
          body: Body,
          response: { 200: TemplateItem },
        },
      },
      async (req) => {
        const { template, lang } = req.params;
        await templates.put(template, lang, req.body, actorOf(req.caller!));
        return item(await templates.entry(template, lang));
      },
    );

    app.delete(
      '/v1/settings/templates/:template/:lang',
      { config: SETTINGS_EDITORS, schema: { tags, summary: 'Back to the built-in text (recorded)', params: Params, response: { 204: Type.Null() } } },
      async (req, reply) => {
        const { template, lang } = req.params;
        if (!(await templates.remove(template, lang, actorOf(req.caller!)))) throw problems.notFound('template override');
        reply.code(204);
      },
    );

    app.post(
      '/v1/settings/templates/:template/:lang/preview',
      {
        config: SETTINGS_READERS,
        schema: {
          tags,
          summary: 'Render a text (the one given, else the one in force) with sample variables, after the same checks as a save',
          params: Params,
          body: PreviewBody,
          response: { 200: Type.Object({ subject: Type.String(), text: Type.String(), characters: Type.Integer() }) },
        },
      },
      async (req) => {
        const { template, lang } = req.params;
        const b = req.body ?? {};
        if ((b.subject === undefined) !== (b.text === undefined))
          throw problems.badRequest('give both "subject" and "text", or neither to preview the text in force');
        const r = await templates.preview(template, lang, b.subject !== undefined ? { subject: b.subject, text: b.text! } : undefined);
        return { ...r, characters: [...r.text].length };
      },
    );
  };
}
