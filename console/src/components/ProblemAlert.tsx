// Shows a failed action's RFC 9457 problem plainly: its title, HTTP status, detail and type, so an
// analyst can tell "the incident is closed" (409) from "you may not do this" (403) or a server fault.
import { ApiError } from '../api/http.ts';
import { useI18n } from '../i18n/i18n.tsx';

export function ProblemAlert({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  const { t } = useI18n();
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : null;
  const status = error instanceof ApiError ? error.status : null;
  const title = p?.title ?? (status === 403 ? t('state.forbidden') : t('state.error'));
  const detail = p?.detail ?? (error instanceof Error && !(error instanceof ApiError) ? error.message : null);
  return (
    <div className="state state-error problem" role="alert">
      <strong>
        {title}
        {status !== null && <span className="mono"> ({status})</span>}
      </strong>
      {detail && <span> {detail}</span>}
      {error instanceof ApiError && <span className="muted mono"> · {error.kind}</span>}
      {onDismiss && (
        <button type="button" className="btn btn-small problem-dismiss" onClick={onDismiss}>
          {t('common.close')}
        </button>
      )}
    </div>
  );
}
