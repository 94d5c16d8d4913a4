// /check: is this number, SMS sender or link really the shop's? Answers come from the official
// channel list and scam reports; "no record" is never shown as "safe".
import { useEffect, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { checkLink, checkValue, type CheckResult, type LinkResult } from '../api/check.ts';
import { features as loadFeatures, type Features } from '../api/session.ts';
import { ApiError } from '../api/http.ts';
import { PublicFrame } from './ReportApp.tsx';
import { detectKind, normaliseLink, normaliseSender, type InputKind } from './check-input.ts';

type Answer = { kind: 'value'; r: CheckResult } | { kind: 'link'; r: LinkResult } | { kind: 'unavailable' } | { kind: 'error'; message: string };

export function CheckApp() {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [kind, setKind] = useState<InputKind | 'auto'>('auto');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [f, setF] = useState<Features | null>(null);
  useEffect(() => {
    loadFeatures().then(setF, () => setF(null));
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!value.trim()) return;
    const k = kind === 'auto' ? detectKind(value) : kind;
    setBusy(true);
    try {
      if (k === 'link') {
        if (!f?.linkCheck) setAnswer({ kind: 'unavailable' });
        else setAnswer({ kind: 'link', r: await checkLink(normaliseLink(value)) });
      } else if (!f?.check) setAnswer({ kind: 'unavailable' });
      else setAnswer({ kind: 'value', r: await checkValue(k, k === 'sender' ? normaliseSender(value) : value.trim()) });
    } catch (err) {
      setAnswer(
        err instanceof ApiError && err.endpointMissing ? { kind: 'unavailable' } : { kind: 'error', message: err instanceof Error ? err.message : String(err) },
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <PublicFrame title="check.title">
      <p className="lead">{t('check.lead')}</p>
      <form className="check-form" onSubmit={(e) => void submit(e)}>
        <label>
          {t('check.input')}
          <input name="value" value={value} placeholder={t('check.placeholder')} onChange={(e) => setValue(e.target.value)} autoComplete="off" />
        </label>
        <label>
          {t('check.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as InputKind | 'auto')}>
            <option value="auto">{t('check.kind.auto')}</option>
            <option value="phone">{t('check.kind.phone')}</option>
            <option value="sender">{t('check.kind.sender')}</option>
            <option value="link">{t('check.kind.link')}</option>
          </select>
        </label>
        <button type="submit" className="btn btn-primary btn-block" disabled={busy || !value.trim()}>
          {t('check.submit')}
        </button>
      </form>
      {answer && <AnswerView a={answer} />}
      <p className="advice">{t('check.advice')}</p>
      <p>
        <a href="/report">{t('check.reportLink')} →</a>
      </p>
    </PublicFrame>
  );
}

function AnswerView({ a }: { a: Answer }) {
  const { t } = useI18n();
  if (a.kind === 'unavailable')
    return (
      <div className="answer answer-neutral" role="status">
        {t('check.unavailable')}
      </div>
    );
  if (a.kind === 'error')
    return (
      <div className="answer answer-bad" role="alert">
        {a.message}
      </div>
    );
  if (a.kind === 'link') {
    const v = a.r.verdict;
    const text =
      v === 'lookalike' ? t('check.link.lookalike', { brand: a.r.lookalike?.brand ?? '?', technique: a.r.lookalike?.technique ?? '?' }) : t(`check.link.${v}`);
    return (
      <div className={`answer answer-${v === 'official' ? 'good' : v === 'unknown' || v === 'invalid' ? 'neutral' : 'bad'}`} role="status">
        {text}
      </div>
    );
  }
  const tier = a.r.official ? 'none' : a.r.risk;
  return (
    <div className={`answer answer-${a.r.official ? 'good' : tier === 'none' ? 'neutral' : 'bad'}`} role="status">
      <strong>{a.r.official ? t('check.official') : t('check.notOfficial')}</strong>
      {a.r.official && a.r.officialLabel && <p>{a.r.officialLabel}</p>}
      {!a.r.official && <p>{t(`check.tier.${tier}`)}</p>}
    </div>
  );
}
