// Settings → change history: who changed which setting when, and what changed (masking cells
// from → to; template texts edited or reset).
import { useI18n, knownLabel } from '../../i18n/i18n.tsx';
import { useApp } from '../../lib/app-context.tsx';
import { useResource } from '../../lib/useResource.ts';
import { getMasking, listChanges, type MaskingRoles, type SettingsChange } from '../../api/settings.ts';
import { Panel, Badge } from '../../components/ui.tsx';
import { DataTable } from '../../components/DataTable.tsx';
import { formatTime } from '../../lib/format.ts';
import { changedCells, parseSettingKey } from '../../lib/settings-changes.ts';

export function History() {
  const { t, lang } = useI18n();
  const { features } = useApp();
  const changes = useResource(() => listChanges(), [], features.settingsHistory);
  // The configuration's rules: what a "null" (default) before/after stands for.
  const masking = useResource(getMasking, [], features.settingsMasking);
  const defaults = masking.state === 'ok' ? masking.data.defaults : null;

  const setting = (c: SettingsChange) => {
    const k = parseSettingKey(c.key);
    if (k.kind === 'masking') return t('history.masking');
    if (k.kind === 'template')
      return t('history.template', { template: knownLabel(t, 'templates.name.', k.template), lang: knownLabel(t, 'templates.lang.', k.lang) });
    return k.key;
  };
  const change = (c: SettingsChange) => {
    if (c.after === null) return <Badge>{t('history.reset')}</Badge>;
    const k = parseSettingKey(c.key);
    if (k.kind === 'masking' && defaults) {
      const cells = changedCells(c.before as Partial<MaskingRoles> | null, c.after as Partial<MaskingRoles>, defaults);
      if (!cells.length) return <span className="muted">{t('history.noCells')}</span>;
      return (
        <ul className="plain">
          {cells.map((x) => (
            <li key={`${x.role}.${x.field}`}>
              {t(`masking.role.${x.role}`)} · {t(`masking.field.${x.field}`)}: {t(`masking.view.${x.from}`)} → <strong>{t(`masking.view.${x.to}`)}</strong>
            </li>
          ))}
        </ul>
      );
    }
    if (k.kind === 'template') {
      const after = c.after as { subject: string; text: string };
      return (
        <>
          {t(c.before === null ? 'history.created' : 'history.edited')}: <q lang={k.lang}>{after.subject}</q>
        </>
      );
    }
    return <span className="mono">{JSON.stringify(c.after).slice(0, 120)}</span>;
  };
  return (
    <Panel title={t('settings.tab.history')}>
      <p className="muted">{t('history.lead')}</p>
      <DataTable
        res={changes}
        rows={(items) => items}
        rowKey={(c) => c.id}
        columns={[
          { header: t('history.col.at'), cell: (c) => formatTime(c.at, lang) },
          {
            header: t('history.col.by'),
            cell: (c) => (
              <>
                {c.by.keyName ?? c.by.keyId ?? '—'} {c.by.role && <Badge tone="info">{c.by.role}</Badge>}
              </>
            ),
          },
          { header: t('history.col.setting'), cell: setting },
          { header: t('history.col.change'), cell: change },
        ]}
      />
    </Panel>
  );
}
