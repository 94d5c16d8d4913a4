// Settings → notice templates: every template in both languages, and an editor with the template's
// variables as chips (inserted at the caret), a client-side check, a server preview with sample
// data, save and restore of the built-in text. Analysts can open and preview, not save.
import { useEffect, useRef, useState } from 'react';
import { useI18n, knownLabel } from '../../i18n/i18n.tsx';
import { useApp } from '../../lib/app-context.tsx';
import { useResource } from '../../lib/useResource.ts';
import { listTemplates, previewTemplate, resetTemplate, saveTemplate, type Preview, type TemplateItem, type TemplateText } from '../../api/settings.ts';
import { Panel, Badge } from '../../components/ui.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { ApiError } from '../../api/http.ts';
import { insertVariable, smsParts, strayBrace, unknownVariables } from '../../lib/template-text.ts';

export function Templates() {
  const { t } = useI18n();
  const { features } = useApp();
  const res = useResource(listTemplates, [], features.settingsTemplates);
  const [open, setOpen] = useState<{ template: string; lang: string } | null>(null);
  // Kept here: a save reloads the list, which remounts the editor.
  const [flash, setFlash] = useState<string | null>(null);
  const changed = (message: string) => {
    setFlash(message);
    res.reload();
  };
  const name = (tpl: string) => knownLabel(t, 'templates.name.', tpl);
  const selected = res.state === 'ok' && open ? res.data.find((i) => i.template === open.template && i.lang === open.lang) : undefined;
  return (
    <>
      <Panel title={t('settings.tab.templates')}>
        <p className="muted">{t('templates.lead')}</p>
        <DataTable
          res={res}
          rows={(items) => items}
          rowKey={(i) => `${i.template}/${i.lang}`}
          rowClass={(i) => (open?.template === i.template && open.lang === i.lang ? 'row-selected' : undefined)}
          columns={[
            {
              header: t('templates.col.template'),
              cell: (i) => (
                <>
                  {name(i.template)} <span className="muted mono">{i.template}</span>
                </>
              ),
            },
            { header: t('templates.col.lang'), cell: (i) => t(`templates.lang.${i.lang}`) },
            {
              header: t('common.status'),
              cell: (i) => (i.override ? <Badge tone="warn">{t('templates.status.edited')}</Badge> : <Badge>{t('templates.status.builtIn')}</Badge>),
            },
            {
              header: <span className="sr-only">{t('templates.edit')}</span>,
              cell: (i) => (
                <button
                  type="button"
                  className="btn btn-small"
                  aria-label={`${t('templates.edit')}: ${name(i.template)} · ${t(`templates.lang.${i.lang}`)}`}
                  onClick={() => {
                    setFlash(null);
                    setOpen({ template: i.template, lang: i.lang });
                  }}
                >
                  {t('templates.edit')}
                </button>
              ),
            },
          ]}
        />
      </Panel>
      {flash && (
        <div className="state state-done" role="status">
          {flash}
        </div>
      )}
      {selected && <Editor key={`${selected.template}/${selected.lang}`} item={selected} onChanged={changed} onClose={() => setOpen(null)} />}
    </>
  );
}

type Field = 'subject' | 'text';

function Editor({ item, onChanged, onClose }: { item: TemplateItem; onChanged(message: string): void; onClose(): void }) {
  const { t } = useI18n();
  const { session } = useApp();
  const admin = session.role === 'admin';
  const [draft, setDraft] = useState<TemplateText>(item.override ?? item.builtIn);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  // each ref its own useRef, so the hooks linter knows them stable
  const subjectRef = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const refs = { subject: subjectRef, text: textRef };
  const lastField = useRef<Field>('text');
  // The editor opens under a long list: bring it into view.
  useEffect(() => {
    subjectRef.current?.closest('section')?.scrollIntoView?.({ block: 'start' });
  }, []);
  const unknown = unknownVariables(`${draft.subject} ${draft.text}`, item.variables);
  const stray = strayBrace(draft.subject) || strayBrace(draft.text);
  const problems = [...(unknown.length ? [t('templates.unknown', { names: unknown.join(', ') })] : []), ...(stray ? [t('templates.stray')] : [])];
  const title = `${knownLabel(t, 'templates.name.', item.template)} · ${t(`templates.lang.${item.lang}`)}`;

  const insert = (name: string) => {
    const field = lastField.current;
    const el = refs[field].current;
    const r = insertVariable(draft[field], el?.selectionStart ?? draft[field].length, el?.selectionEnd ?? draft[field].length, name);
    setDraft((d) => ({ ...d, [field]: r.value }));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(r.caret, r.caret);
    });
  };
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
  };
  const parts = preview ? smsParts(preview.text) : null;
  return (
    <Panel
      title={t('templates.editing', { template: knownLabel(t, 'templates.name.', item.template), lang: t(`templates.lang.${item.lang}`) })}
      actions={
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      }
    >
      {!admin && <p className="muted">{t('templates.readOnly')}</p>}
      <div className="editor" lang={item.lang}>
        <label>
          {t('templates.subject')}
          <input
            ref={refs.subject}
            value={draft.subject}
            maxLength={140}
            readOnly={!admin}
            onFocus={() => (lastField.current = 'subject')}
            onChange={(e) => setDraft({ ...draft, subject: e.target.value })}
          />
        </label>
        <label>
          {t('templates.text')}
          <textarea
            ref={refs.text}
            rows={6}
            value={draft.text}
            maxLength={750}
            readOnly={!admin}
            aria-invalid={problems.length > 0}
            onFocus={() => (lastField.current = 'text')}
            onChange={(e) => setDraft({ ...draft, text: e.target.value })}
          />
        </label>
        <span className="muted">{t('templates.count', { n: [...draft.text].length })}</span>
      </div>
      {admin && (
        <div className="var-chips" role="group" aria-label={t('templates.variables')}>
          <span className="muted">{t('templates.variables')}</span>
          {item.variables.map((v) => (
            <button
              type="button"
              key={v}
              className="var-chip mono"
              aria-label={t('templates.insert', { name: v })}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => insert(v)}
            >
              {`{${v}}`}
            </button>
          ))}
        </div>
      )}
      {problems.length > 0 && (
        <ul className="state state-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button
          type="button"
          className="btn"
          disabled={problems.length > 0}
          onClick={() => void run(async () => setPreview(await previewTemplate(item.template, item.lang, draft)))}
        >
          {t('templates.preview')}
        </button>
        {admin && (
          <>
            <button
              type="button"
              className="btn btn-primary"
              disabled={problems.length > 0}
              onClick={() => void run(() => saveTemplate(item.template, item.lang, draft).then(() => onChanged(t('templates.saved'))))}
            >
              {t('templates.save')}
            </button>
            {item.override && (
              <button
                type="button"
                className="btn btn-ghost"
                onClick={() =>
                  confirm(t('templates.resetConfirm')) &&
                  void run(() => resetTemplate(item.template, item.lang).then(() => onChanged(t('templates.resetDone'))))
                }
              >
                {t('templates.reset')}
              </button>
            )}
          </>
        )}
      </div>
      {error && (
        <div className="state state-error" role="alert">
          {error}
        </div>
      )}
      {preview && (
        <section className="preview" aria-label={`${t('templates.previewTitle')}: ${title}`} lang={item.lang}>
          <h3>{t('templates.previewTitle')}</h3>
          <p>
            <strong>{preview.subject}</strong>
          </p>
          <p data-testid="preview-text">{preview.text}</p>
          <p className="muted">
            {t('templates.count', { n: preview.characters })} · {t('templates.sms', { parts: parts!.parts })}
          </p>
        </section>
      )}
    </Panel>
  );
}
