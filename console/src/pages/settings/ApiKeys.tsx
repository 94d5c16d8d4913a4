// Settings → API keys (admin): create (shown once), list, revoke.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { useResource } from '../../lib/useResource.ts';
import { createKey, listKeys, revokeKey, type KeyRole } from '../../api/keys.ts';
import { Panel, Badge } from '../../components/ui.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { formatTime } from '../../lib/format.ts';
import { ApiError } from '../../api/http.ts';

const ROLES: KeyRole[] = ['analyst', 'agent', 'ingest', 'admin'];

export function ApiKeys() {
  const { t, lang } = useI18n();
  const keys = useResource(listKeys, []);
  const [role, setRole] = useState<KeyRole>('analyst');
  const [name, setName] = useState('');
  const [principal, setPrincipal] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      const r = await createKey({ role, ...(name ? { name } : {}), ...(principal ? { principalId: principal } : {}) });
      setCreated(r.key);
      setCopied(false);
      setName('');
      setPrincipal('');
      keys.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const revoke = async (id: string, keyName: string) => {
    if (!confirm(t('settings.key.revokeConfirm', { name: keyName }))) return;
    try {
      await revokeKey(id);
      keys.reload();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <Panel title={t('settings.keys')}>
      <p className="muted">{t('settings.keysLead')}</p>
      <form className="filters" onSubmit={(e) => void create(e)}>
        <label>
          {t('settings.key.role')}
          <select value={role} onChange={(e) => setRole(e.target.value as KeyRole)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t('settings.key.name')}
          <input value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </label>
        <label className="grow">
          {t('settings.key.principal')}
          <input value={principal} maxLength={128} onChange={(e) => setPrincipal(e.target.value)} />
        </label>
        <button className="btn btn-primary" type="submit">
          {t('settings.key.create')}
        </button>
      </form>
      {error && (
        <div className="state state-error" role="alert">
          {error}
        </div>
      )}
      {created && (
        <div className="secret" role="status">
          <span>{t('settings.key.created')}</span>
          <code data-testid="new-key">{created}</code>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              void navigator.clipboard?.writeText(created).then(
                () => setCopied(true),
                () => undefined,
              );
            }}
          >
            {copied ? t('common.copied') : t('common.copy')}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      <DataTable
        res={keys}
        rows={(items) => items}
        rowKey={(k) => k.id}
        rowClass={(k) => (k.revokedAt ? 'muted' : undefined)}
        columns={[
          {
            header: t('settings.key.name'),
            cell: (k) => (
              <>
                {k.name}
                {k.principalId && <span className="muted mono"> · {k.principalId}</span>}
              </>
            ),
          },
          { header: t('settings.key.role'), cell: (k) => <Badge tone="info">{k.role}</Badge> },
          { header: t('settings.key.prefix'), cell: (k) => `${k.prefix}…`, className: 'mono' },
          {
            header: t('common.status'),
            cell: (k) => (k.revokedAt ? <Badge>{t('settings.key.revoked')}</Badge> : <Badge tone="good">{t('settings.key.active')}</Badge>),
          },
          { header: t('settings.key.lastUsed'), cell: (k) => formatTime(k.lastUsedAt, lang) },
          { header: t('common.created'), cell: (k) => formatTime(k.createdAt, lang) },
          {
            header: <span className="sr-only">{t('settings.key.revoke')}</span>,
            cell: (k) =>
              !k.revokedAt && (
                <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(k.id, k.name)}>
                  {t('settings.key.revoke')}
                </button>
              ),
          },
        ]}
      />
    </Panel>
  );
}
