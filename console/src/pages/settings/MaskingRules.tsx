// Settings → masking rules: a role × field grid of select boxes, each with what the chosen view
// makes of a made-up customer. Admins save or restore the configuration's rules; analysts read.
import { useEffect, useState } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';
import { useApp } from '../../lib/app-context.tsx';
import { useResource } from '../../lib/useResource.ts';
import { getMasking, resetMasking, saveMasking, MASKED_ROLES, type FieldView, type MaskingRoles, type MaskingSettings } from '../../api/settings.ts';
import { Panel, ResourceView, Badge } from '../../components/ui.tsx';
import { ApiError } from '../../api/http.ts';
import { formatTime } from '../../lib/format.ts';
import { changedCells } from '../../lib/settings-changes.ts';

export function MaskingRules() {
  const { t } = useI18n();
  const { features } = useApp();
  const res = useResource(getMasking, [], features.settingsMasking);
  return (
    <Panel title={t('settings.tab.masking')}>
      <p className="muted">{t('masking.lead')}</p>
      <ResourceView res={res}>{(m) => <Grid initial={m} />}</ResourceView>
    </Panel>
  );
}

function Grid({ initial }: { initial: MaskingSettings }) {
  const { t, lang } = useI18n();
  const { session } = useApp();
  const admin = session.role === 'admin';
  const [saved, setSaved] = useState(initial);
  const [draft, setDraft] = useState<MaskingRoles>(initial.roles);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setDraft(saved.roles), [saved]);
  const unsaved = changedCells(saved.roles, draft, saved.roles).length;
  const act = async (fn: () => Promise<MaskingSettings>) => {
    setStatus(null);
    try {
      setSaved(await fn());
      setStatus({ ok: true, text: t('masking.saved') });
    } catch (e) {
      setStatus({ ok: false, text: e instanceof ApiError ? e.message : String(e) });
    }
  };
  const set = (role: keyof MaskingRoles, field: keyof MaskingRoles['agent'], view: FieldView) =>
    setDraft((d) => ({ ...d, [role]: { ...d[role], [field]: view } }));
  return (
    <>
      <p>
        {saved.overridden ? (
          <Badge tone="warn">{t('masking.overridden', { at: formatTime(saved.updatedAt, lang) })}</Badge>
        ) : (
          <Badge>{t('masking.default')}</Badge>
        )}{' '}
        {!admin && <span className="muted">{t('masking.readOnly')}</span>}
      </p>
      <div className="table-scroll">
        <table className="table masking-grid">
          <caption className="sr-only">{t('masking.grid')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('masking.col.role')}</th>
              {saved.fields.map((f) => (
                <th scope="col" key={f}>
                  {t(`masking.field.${f}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {MASKED_ROLES.map((role) => (
              <tr key={role}>
                <th scope="row">{t(`masking.role.${role}`)}</th>
                {saved.fields.map((field) => {
                  const view = draft[role][field];
                  const example = saved.examples[field][view];
                  const differs = view !== saved.defaults[role][field];
                  const id = `mask-${role}-${field}`;
                  return (
                    <td key={field} className={differs ? 'cell-differs' : undefined}>
                      <select
                        id={id}
                        aria-label={t('masking.cell', { role: t(`masking.role.${role}`), field: t(`masking.field.${field}`) })}
                        value={view}
                        disabled={!admin}
                        onChange={(e) => set(role, field, e.target.value as FieldView)}
                      >
                        {saved.views[field].map((v) => (
                          <option key={v} value={v}>
                            {t(`masking.view.${v}`)}
                          </option>
                        ))}
                      </select>
                      <output htmlFor={id} className="example" data-testid={`example-${role}-${field}`}>
                        {t('masking.example', { value: example ?? t('masking.hidden') })}
                      </output>
                      {differs && <span className="sr-only">{t('masking.differs')}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {admin && (
        <div className="actions">
          <button type="button" className="btn btn-primary" disabled={!unsaved} onClick={() => void act(() => saveMasking(draft))}>
            {t('masking.save')}
          </button>
          <button type="button" className="btn" disabled={!unsaved} onClick={() => setDraft(saved.roles)}>
            {t('masking.discard')}
          </button>
          <button
            type="button"
            className="btn btn-ghost"
            disabled={!saved.overridden}
            onClick={() => confirm(t('masking.resetConfirm')) && void act(resetMasking)}
          >
            {t('masking.reset')}
          </button>
          {unsaved > 0 && <span className="muted">{t('masking.unsaved', { n: unsaved })}</span>}
        </div>
      )}
      {status && (
        <div className={status.ok ? 'state state-done' : 'state state-error'} role={status.ok ? 'status' : 'alert'}>
          {status.text}
        </div>
      )}
    </>
  );
}
