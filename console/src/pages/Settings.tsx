// Settings: API keys and official channels, masking rules, notice templates, change history —
// one sub-screen each under /settings/…, with tabs between them.
import type { ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.tsx';
import { useApp } from '../lib/app-context.tsx';
import { useResource } from '../lib/useResource.ts';
import { listOfficialChannels } from '../api/official.ts';
import { PageHeader, Panel } from '../components/ui.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { Link } from '../lib/router.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { ApiKeys } from './settings/ApiKeys.tsx';
import { KindLabel } from '../components/CaseBadges.tsx';
import { MaskingRules } from './settings/MaskingRules.tsx';
import { Templates } from './settings/Templates.tsx';
import { History } from './settings/History.tsx';

export const SETTINGS_TABS: { tab: string; to: string; label: MessageKey; render: () => ReactNode }[] = [
  { tab: 'general', to: '/settings', label: 'settings.tab.general', render: () => <General /> },
  { tab: 'masking', to: '/settings/masking', label: 'settings.tab.masking', render: () => <MaskingRules /> },
  { tab: 'templates', to: '/settings/templates', label: 'settings.tab.templates', render: () => <Templates /> },
  { tab: 'history', to: '/settings/history', label: 'settings.tab.history', render: () => <History /> },
];

export function Settings({ tab = 'general' }: { tab?: string }) {
  const { t } = useI18n();
  const current = SETTINGS_TABS.find((s) => s.tab === tab);
  return (
    <>
      <PageHeader title={t('settings.title')} />
      <nav aria-label={t('settings.tabs')} className="tabs">
        <ul>
          {SETTINGS_TABS.map((s) => (
            <li key={s.tab}>
              <Link to={s.to} className={s.tab === tab ? 'tab active' : 'tab'} aria-current={s.tab === tab ? 'page' : undefined}>
                {t(s.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current ? current.render() : <div className="state">404</div>}
    </>
  );
}

function General() {
  const { t } = useI18n();
  const { session, features } = useApp();
  const channels = useResource(listOfficialChannels, [], features.officialChannels);
  return (
    <>
      {session.role === 'admin' ? (
        <ApiKeys />
      ) : (
        <Panel title={t('settings.keys')}>
          <p className="muted">{t('settings.adminOnly')}</p>
        </Panel>
      )}
      <Panel title={t('settings.channels')}>
        <DataTable
          res={channels}
          compact
          rows={(d) => d}
          rowKey={(c) => c.id}
          columns={[
            { header: t('settings.col.kind'), cell: (c) => <KindLabel kind={c.kind} /> },
            { header: t('settings.col.value'), cell: (c) => c.value, className: 'mono' },
            { header: t('settings.col.label'), cell: (c) => c.label ?? '—' },
          ]}
        />
      </Panel>
    </>
  );
}
