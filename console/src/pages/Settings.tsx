import { useState, type FormEvent } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { createKey, listKeys, revokeKey, type KeyRole } from '../api/keys.ts';
import { listOfficialChannels } from '../api/official.ts';
import { PageHeader, Panel, ResourceView, Badge, Empty } from '../components/ui.tsx';
import { formatTime } from '../lib/format.ts';
import { ApiError } from '../api/http.ts';

const ROLES: KeyRole[] = ['analyst', 'agent', 'ingest', 'admin'];

export function Settings() {
  const { t } = useI18n();
  const { session, features } = useApp();
  const channels = useResource(listOfficialChannels, [], features.officialChannels);
  return (
    <>
      <PageHeader title={t('settings.title')} />
      {session.role === 'admin' ? <KeysPanel /> : <Panel title={t('settings.keys')}><p className="muted">{t('settings.adminOnly')}</p></Panel>}
      <Panel title={t('settings.channels')}>
        <ResourceView res={channels} compact>
          {(d) =>
            d.length ? (
              <ul className="plain">
                {d.map((c) => (
                  <li key={c.id}>
                    <Badge>{c.kind}</Badge> <span className="mono">{c.value}</span> {c.label && <span className="muted">{c.label}</span>}
                  </li>
                ))}
              </ul>
            ) : (
              <Empty />
            )
          }
        </ResourceView>
      </Panel>
      <Panel title={t('settings.masking')}>
        <p className="muted">{t('settings.maskingLead')}</p>
      </Panel>
    </>
  );
}

function KeysPanel() {
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
      {error && <div className="state state-error" role="alert">{error}</div>}
      {created && (
        <div className="secret" role="status">
          <span>{t('settings.key.created')}</span>
          <code data-testid="new-key">{created}</code>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              void navigator.clipboard?.writeText(created).then(() => setCopied(true), () => undefined);
            }}
          >
            {copied ? t('common.copied') : t('common.copy')}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
            {t('common.close')}
          </button>
        </div>
      )}
      <ResourceView res={keys}>
        {(items) => (
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('settings.key.name')}</th>
                <th scope="col">{t('settings.key.role')}</th>
                <th scope="col">{t('settings.key.prefix')}</th>
                <th scope="col">{t('common.status')}</th>
                <th scope="col">{t('settings.key.lastUsed')}</th>
                <th scope="col">{t('common.created')}</th>
                <th scope="col"><span className="sr-only">{t('settings.key.revoke')}</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} className={k.revokedAt ? 'muted' : undefined}>
                  <td>
                    {k.name}
                    {k.principalId && <span className="muted mono"> · {k.principalId}</span>}
                  </td>
                  <td>
                    <Badge tone="info">{k.role}</Badge>
                  </td>
                  <td className="mono">{k.prefix}…</td>
                  <td>{k.revokedAt ? <Badge>{t('settings.key.revoked')}</Badge> : <Badge tone="good">{t('settings.key.active')}</Badge>}</td>
                  <td>{formatTime(k.lastUsedAt, lang)}</td>
                  <td>{formatTime(k.createdAt, lang)}</td>
                  <td>
                    {!k.revokedAt && (
                      <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(k.id, k.name)}>
                        {t('settings.key.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </ResourceView>
    </Panel>
  );
}
