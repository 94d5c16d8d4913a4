// The scope form, for opening an incident by hand (with a title) and for editing an incident's
// scope (with a required reason). Validation is incident-logic.ts's; errors sit beside their field.
import { useId, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { INCIDENT_FIELDS, type ScopeInput } from '../api/incidents.ts';
import { validateScope, type ScopeErrors, type ScopeForm, type ScopeFormField } from './incident-logic.ts';

import { fieldLabel } from '../lib/labels.ts';

export { fieldLabel };

export function IncidentScopeForm({
  initial,
  mode,
  busy,
  onSubmit,
  onCancel,
}: {
  initial: ScopeForm;
  mode: 'create' | 'edit';
  busy: boolean;
  onSubmit(form: ScopeForm, scope: ScopeInput): void;
  onCancel?(): void;
}) {
  const { t } = useI18n();
  const uid = useId();
  const [f, setF] = useState<ScopeForm>(initial);
  const [errors, setErrors] = useState<ScopeErrors>({});
  const set = <K extends keyof ScopeForm>(k: K, v: ScopeForm[K]) => setF((x) => ({ ...x, [k]: v }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = validateScope(f, { title: mode === 'create', reason: mode === 'edit' });
    setErrors(v.errors);
    if (v.scope) onSubmit(f, v.scope);
  };
  const err = (k: ScopeFormField) =>
    errors[k] ? (
      <span className="field-error" id={`${uid}-${k}-err`}>
        {t(errors[k]!)}
      </span>
    ) : null;
  const aria = (k: ScopeFormField, also?: ScopeFormField) => {
    const bad = errors[k] ?? (also ? errors[also] : undefined);
    return { 'aria-invalid': bad ? (true as const) : undefined, 'aria-describedby': bad ? `${uid}-${errors[k] ? k : also}-err` : undefined };
  };
  return (
    <form className="scope-form" onSubmit={submit} noValidate aria-label={mode === 'create' ? t('incident.new') : t('incident.action.editScope')}>
      {mode === 'create' && (
        <div className="field">
          <label htmlFor={`${uid}-title`}>{t('incident.form.title')}</label>
          <input id={`${uid}-title`} value={f.title} maxLength={300} onChange={(e) => set('title', e.target.value)} {...aria('title')} />
          {err('title')}
        </div>
      )}
      <div className="field">
        <label htmlFor={`${uid}-principals`}>{t('incident.form.principals')}</label>
        <textarea id={`${uid}-principals`} rows={2} value={f.principals} onChange={(e) => set('principals', e.target.value)} {...aria('principals')} />
        <span className="hint">{t('incident.form.principalsHint')}</span>
        {err('principals')}
      </div>
      <fieldset className="scope-fields" {...aria('fields')}>
        <legend>{t('incident.form.fields')}</legend>
        <div className="choices">
          {INCIDENT_FIELDS.map((k) => (
            <label key={k} className={f.fields.includes(k) ? 'chip on' : 'chip'}>
              <input
                type="checkbox"
                checked={f.fields.includes(k)}
                onChange={(e) => set('fields', e.target.checked ? [...f.fields, k] : f.fields.filter((x) => x !== k))}
              />
              {fieldLabel(t, k)}
            </label>
          ))}
        </div>
        {err('fields')}
      </fieldset>
      <div className="scope-window">
        <div className="field">
          <label htmlFor={`${uid}-from`}>{t('incident.form.from')}</label>
          <input id={`${uid}-from`} type="datetime-local" value={f.from} onChange={(e) => set('from', e.target.value)} {...aria('from', 'window')} />
          {err('from')}
        </div>
        <div className="field">
          <label htmlFor={`${uid}-to`}>{t('incident.form.to')}</label>
          <input id={`${uid}-to`} type="datetime-local" value={f.to} onChange={(e) => set('to', e.target.value)} {...aria('to', 'window')} />
          {err('to')}
        </div>
      </div>
      {err('window')}
      {mode === 'edit' && (
        <div className="field">
          <label htmlFor={`${uid}-reason`}>{t('incident.form.reason')}</label>
          <textarea
            id={`${uid}-reason`}
            rows={2}
            value={f.reason}
            maxLength={500}
            required
            onChange={(e) => set('reason', e.target.value)}
            {...aria('reason')}
          />
          {err('reason')}
        </div>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('incident.busy') : mode === 'create' ? t('incident.form.create') : t('incident.form.save')}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            {t('incident.form.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
