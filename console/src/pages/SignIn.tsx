import { useState, type FormEvent } from 'react';
import { useI18n, LangSwitch } from '../i18n/i18n.tsx';
import { signIn, type Session } from '../api/session.ts';
import { ApiError } from '../api/http.ts';
import { Brand } from '../components/Brand.tsx';

export function SignIn({ onSignedIn }: { onSignedIn(s: Session): void }) {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(key.trim());
      setKey('');
      onSignedIn(s);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 403
          ? t('signin.role')
          : err instanceof ApiError && err.status === 401
            ? t('signin.failed')
            : t('signin.error'),
      );
      setBusy(false);
    }
  };
  return (
    <main className="signin">
      <div className="signin-card">
        <Brand dark />
        <h1>{t('signin.title')}</h1>
        <p className="muted">{t('signin.lead')}</p>
        <form onSubmit={(e) => void submit(e)}>
          <label>
            {t('signin.key')}
            <input name="key" type="password" autoComplete="off" spellCheck={false} required value={key} onChange={(e) => setKey(e.target.value)} />
          </label>
          {error && (
            <div className="state state-error" role="alert">
              {error}
            </div>
          )}
          <button className="btn btn-primary btn-block" type="submit" disabled={busy || !key.trim()}>
            {busy ? t('signin.busy') : t('signin.submit')}
          </button>
        </form>
        <LangSwitch />
      </div>
    </main>
  );
}
