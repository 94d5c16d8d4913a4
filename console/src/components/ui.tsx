// Small building blocks shared by every screen.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { Link } from '../lib/router.tsx';
import type { Resource } from '../lib/useResource.ts';

export function PageHeader({ title, lead, actions }: { title: string; lead?: string; actions?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {lead && <p className="lead">{lead}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}

export function Panel({ title, children, actions, className }: { title?: string; children: ReactNode; actions?: ReactNode; className?: string }) {
  return (
    <section className={`panel ${className ?? ''}`} aria-label={title}>
      {(title || actions) && (
        <div className="panel-head">
          {title && <h2>{title}</h2>}
          {actions}
        </div>
      )}
      <div className="panel-body">{children}</div>
    </section>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Renders the non-data states of a resource the same way everywhere; calls `children` with data. */
export function ResourceView<T>({ res, children, compact }: { res: Resource<T> & { reload?(): void }; children: (data: T) => ReactNode; compact?: boolean }) {
  const { t } = useI18n();
  switch (res.state) {
    case 'loading':
      return (
        <div className="state state-loading" role="status">
          <span className="spinner" aria-hidden="true" /> {t('state.loading')}
        </div>
      );
    case 'unavailable':
      return (
        <div className="state state-unavailable">
          <strong>{t('state.unavailable')}</strong>
          {!compact && <p>{t('state.unavailableLong')}</p>}
        </div>
      );
    case 'forbidden':
      return <div className="state state-forbidden">{t('state.forbidden')}</div>;
    case 'error':
      return (
        <div className="state state-error" role="alert">
          <strong>{t('state.error')}</strong> <span>{res.message}</span>{' '}
          {res.reload && (
            <button type="button" className="btn btn-small" onClick={res.reload}>
              {t('state.retry')}
            </button>
          )}
        </div>
      );
    case 'ok':
      return <>{children(res.data)}</>;
  }
}

export function Empty() {
  const { t } = useI18n();
  return <div className="state state-empty">{t('state.empty')}</div>;
}

/** A headline number on the overview; the whole tile links to the list behind it. */
export function StatTile({
  label,
  value,
  sub,
  to,
  state,
}: {
  label: string;
  value?: ReactNode;
  sub?: ReactNode;
  to: string;
  state: 'ok' | 'loading' | 'unavailable' | 'forbidden' | 'error';
}) {
  const { t } = useI18n();
  const body =
    state === 'ok' ? (
      <span className="tile-value">{value}</span>
    ) : state === 'loading' ? (
      <span className="tile-value tile-muted" aria-busy="true">
        …
      </span>
    ) : (
      <span className="tile-na">{state === 'unavailable' ? t('state.unavailable') : state === 'forbidden' ? t('state.forbidden') : t('state.error')}</span>
    );
  return (
    <Link to={to} className={`tile tile-${state}`}>
      <span className="tile-label">{label}</span>
      {body}
      {state === 'ok' && sub && <span className="tile-sub">{sub}</span>}
    </Link>
  );
}
