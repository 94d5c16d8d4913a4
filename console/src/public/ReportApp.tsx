// /report: the public, mobile-first scam report form, one step at a time. It never asks for a
// card number, password, ID number or code (checkboxes only) and the acknowledgement reveals
// nothing about orders, accounts or phones — only a reference number, when the server gives one.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useI18n, LangSwitch } from '../i18n/i18n.tsx';
import { CHANNELS, EXPOSED, KNEW_FIELDS, PAYMENT_METHODS, SCRIPT_TAGS, submitReport } from '../api/reports.ts';
import { features } from '../api/session.ts';
import { ApiError } from '../api/http.ts';
import { emptyDraft, newClientId, STEPS, toggle, toPayload, validateStep, type FieldError, type ReportDraft } from './report-form.ts';
import type { MessageKey } from '../i18n/messages.ts';

type Phase = { kind: 'form' } | { kind: 'sending' } | { kind: 'done'; ref?: string } | { kind: 'failed'; message: string };

export function ReportApp() {
  const { t } = useI18n();
  const [d, setD] = useState<ReportDraft>(emptyDraft);
  // One key per report, kept across retries of the same form.
  const [clientId] = useState(newClientId);
  const [step, setStep] = useState(1);
  const [errors, setErrors] = useState<Partial<Record<keyof ReportDraft, FieldError>>>({});
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [open, setOpen] = useState<boolean | null>(null);
  useEffect(() => {
    features().then(
      (f) => setOpen(f.reports),
      () => setOpen(false),
    );
  }, []);
  const set = <K extends keyof ReportDraft>(k: K, v: ReportDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const next = (e: FormEvent) => {
    e.preventDefault();
    const errs = validateStep(step, d);
    setErrors(errs);
    if (Object.keys(errs).length) {
      document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    if (step < STEPS) {
      setStep(step + 1);
      scrollTo(0, 0);
    } else void send();
  };
  const send = async () => {
    setPhase({ kind: 'sending' });
    try {
      const ack = await submitReport(toPayload(d, clientId));
      setPhase({ kind: 'done', ref: ack.reference });
    } catch (e) {
      const message =
        e instanceof ApiError && e.status === 429
          ? t('report.rateLimited')
          : e instanceof ApiError && e.endpointMissing
            ? t('report.unavailable')
            : t('report.failed', { reason: e instanceof Error ? e.message : String(e) });
      setPhase({ kind: 'failed', message });
    }
  };
  const err = (k: keyof ReportDraft) =>
    errors[k] ? (
      <span className="field-error" id={`err-${k}`}>
        {t(`report.${errors[k]!}` as MessageKey)}
      </span>
    ) : null;
  const inv = (k: keyof ReportDraft) => (errors[k] ? { 'aria-invalid': true as const, 'aria-describedby': `err-${k}` } : {});

  if (phase.kind === 'done') {
    return (
      <PublicFrame>
        <div className="ack" role="status">
          <div className="ack-mark" aria-hidden="true">
            ✓
          </div>
          <h2>{t('report.ackTitle')}</h2>
          <p>{t('report.ackBody')}</p>
          {phase.ref && <p className="mono">{t('report.ackRef', { ref: phase.ref })}</p>}
          <button
            type="button"
            className="btn"
            onClick={() => {
              setD(emptyDraft());
              setStep(1);
              setPhase({ kind: 'form' });
            }}
          >
            {t('report.new')}
          </button>
        </div>
      </PublicFrame>
    );
  }

  return (
    <PublicFrame>
      <div className="warning" role="note">
        <strong aria-hidden="true">!</strong> {t('report.warning')}
      </div>
      {open === false && <div className="state state-unavailable">{t('report.unavailable')}</div>}
      <p className="step-count">{t('report.step', { n: step, total: STEPS })}</p>
      <div className="progress" aria-hidden="true">
        <span style={{ width: `${(step / STEPS) * 100}%` }} />
      </div>
      <form onSubmit={next} noValidate>
        {step === 1 && (
          <fieldset>
            <legend>{t('report.step1')}</legend>
            <label>
              {t('report.contactAt')}
              <input type="datetime-local" name="contactAt" value={d.contactAt} onChange={(e) => set('contactAt', e.target.value)} {...inv('contactAt')} />
              {err('contactAt')}
            </label>
            <div role="radiogroup" aria-labelledby="channel-label" className="choices" {...inv('channel')}>
              <span id="channel-label" className="label">
                {t('report.channel')}
              </span>
              {CHANNELS.map((c) => (
                <label key={c} className={`chip ${d.channel === c ? 'on' : ''}`}>
                  <input type="radio" name="channel" value={c} checked={d.channel === c} onChange={() => set('channel', c)} />
                  {t(`report.channel.${c}`)}
                </label>
              ))}
              {err('channel')}
            </div>
            {(d.channel === 'call' || d.channel === '') && (
              <label>
                {t('report.callerNumbers')}
                <input name="callerNumbers" inputMode="tel" value={d.callerNumbers} onChange={(e) => set('callerNumbers', e.target.value)} />
              </label>
            )}
            {d.channel === 'sms' && (
              <label>
                {t('report.smsSender')}
                <input name="smsSender" value={d.smsSender} onChange={(e) => set('smsSender', e.target.value)} />
              </label>
            )}
            <label>
              {t('report.claimedIdentity')}
              <input
                name="claimedIdentity"
                placeholder={t('report.claimedPlaceholder')}
                value={d.claimedIdentity}
                onChange={(e) => set('claimedIdentity', e.target.value)}
              />
            </label>
          </fieldset>
        )}
        {step === 2 && (
          <fieldset>
            <legend>{t('report.step2')}</legend>
            <Checks
              label={t('report.knewFields')}
              name="knewFields"
              values={KNEW_FIELDS}
              selected={d.knewFields}
              labelOf={(v) => t(`report.knew.${v}`)}
              onToggle={(v) => set('knewFields', toggle(d.knewFields, v))}
            />
            <Checks
              label={t('report.scriptTags')}
              name="scriptTags"
              values={SCRIPT_TAGS}
              selected={d.scriptTags}
              labelOf={(v) => t(`report.script.${v}`)}
              onToggle={(v) => set('scriptTags', toggle(d.scriptTags, v))}
            />
            <label>
              {t('report.urls')}
              <input name="urls" inputMode="url" value={d.urls} onChange={(e) => set('urls', e.target.value)} />
            </label>
            <label>
              {t('report.apps')}
              <input name="apps" value={d.apps} onChange={(e) => set('apps', e.target.value)} />
            </label>
          </fieldset>
        )}
        {step === 3 && (
          <fieldset>
            <legend>{t('report.step3')}</legend>
            <div role="radiogroup" aria-labelledby="lost-label" className="choices" {...inv('lost')}>
              <span id="lost-label" className="label">
                {t('report.lost')}
              </span>
              {([false, true] as const).map((v) => (
                <label key={String(v)} className={`chip ${d.lost === v ? 'on' : ''}`}>
                  <input type="radio" name="lost" checked={d.lost === v} onChange={() => set('lost', v)} />
                  {t(v ? 'report.lost.yes' : 'report.lost.no')}
                </label>
              ))}
              {err('lost')}
            </div>
            {d.lost && (
              <>
                <label>
                  {t('report.amount')}
                  <input name="amount" inputMode="decimal" value={d.amount} onChange={(e) => set('amount', e.target.value)} {...inv('amount')} />
                  {err('amount')}
                </label>
                <label>
                  {t('report.method')}
                  <select name="method" value={d.method} onChange={(e) => set('method', e.target.value)}>
                    {PAYMENT_METHODS.map((m) => (
                      <option key={m} value={m}>
                        {t(`report.method.${m}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('report.payeeName')}
                  <input name="payeeName" value={d.payeeName} onChange={(e) => set('payeeName', e.target.value)} />
                </label>
                <label>
                  {t('report.institution')}
                  <input name="institution" value={d.institution} onChange={(e) => set('institution', e.target.value)} />
                </label>
              </>
            )}
            <Checks
              label={t('report.exposed')}
              name="exposed"
              values={EXPOSED}
              selected={d.exposed}
              labelOf={(v) => t(`report.exposed.${v}`)}
              onToggle={(v) => set('exposed', toggle(d.exposed, v))}
            />
            {d.exposed.some((x) => x !== 'screen-share') && (
              <div className="urgent" role="alert">
                {t('report.exposedUrgent')}
              </div>
            )}
          </fieldset>
        )}
        {step === 4 && (
          <fieldset>
            <legend>{t('report.step4')}</legend>
            <label>
              {t('report.narrative')}
              <textarea
                name="narrative"
                rows={5}
                maxLength={4000}
                value={d.narrative}
                onChange={(e) => set('narrative', e.target.value)}
                aria-describedby="narrative-hint"
              />
              <span className="hint" id="narrative-hint">
                {t('report.narrativeHint')}
              </span>
            </label>
            <h3>{t('report.review')}</h3>
            <dl className="kv review">
              <dt>{t('report.contactAt')}</dt>
              <dd>{d.contactAt.replace('T', ' ')}</dd>
              <dt>{t('report.channel')}</dt>
              <dd>{d.channel ? t(`report.channel.${d.channel}`) : '—'}</dd>
              <dt>{t('report.knewFields')}</dt>
              <dd>{d.knewFields.map((k) => t(`report.knew.${k}`)).join('、') || '—'}</dd>
              <dt>{t('report.lost')}</dt>
              <dd>{d.lost ? `${t('report.lost.yes')} · ¥${d.amount}` : t('report.lost.no')}</dd>
            </dl>
          </fieldset>
        )}
        {phase.kind === 'failed' && (
          <div className="state state-error" role="alert">
            {phase.message}
          </div>
        )}
        <div className="form-nav">
          {step > 1 && (
            <button type="button" className="btn btn-ghost" onClick={() => setStep(step - 1)}>
              {t('report.back')}
            </button>
          )}
          <button type="submit" className="btn btn-primary" disabled={phase.kind === 'sending' || (step === STEPS && open === false)}>
            {step < STEPS ? t('report.next') : phase.kind === 'sending' ? t('report.submitting') : t('report.submit')}
          </button>
        </div>
      </form>
    </PublicFrame>
  );
}

function Checks<T extends string>({
  label,
  name,
  values,
  selected,
  labelOf,
  onToggle,
}: {
  label: string;
  name: string;
  values: readonly T[];
  selected: T[];
  labelOf(v: T): string;
  onToggle(v: T): void;
}) {
  return (
    <div role="group" aria-labelledby={`${name}-label`} className="choices">
      <span id={`${name}-label`} className="label">
        {label}
      </span>
      {values.map((v) => (
        <label key={v} className={`chip ${selected.includes(v) ? 'on' : ''}`}>
          <input type="checkbox" name={name} value={v} checked={selected.includes(v)} onChange={() => onToggle(v)} />
          {labelOf(v)}
        </label>
      ))}
    </div>
  );
}

export function PublicFrame({ children, title }: { children: ReactNode; title?: MessageKey }) {
  const { t } = useI18n();
  return (
    <div className="public">
      <header className="public-head">
        <span className="brand-mark" aria-hidden="true">
          反
        </span>
        <span className="public-title">{t(title ?? 'report.title')}</span>
        <LangSwitch className="btn btn-small btn-ghost" />
      </header>
      <main className="public-main">
        <h1 className="sr-only">{t(title ?? 'report.title')}</h1>
        {!title && <p className="lead">{t('report.lead')}</p>}
        {children}
      </main>
    </div>
  );
}
