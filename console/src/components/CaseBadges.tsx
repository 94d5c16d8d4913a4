// Badges for a case's workflow values and risk tier: every label from the message catalogue.
import { knownLabel, useI18n } from '../i18n/i18n.tsx';
import { Badge } from './ui.tsx';
import type { CaseListItem, CasePriority, CaseResolution, CaseStatus } from '../api/cases.ts';

const STATUS_TONE = { open: 'warn', investigating: 'info', waiting: 'neutral', resolved: 'good' } as const;
const PRIORITY_TONE = { low: 'neutral', normal: 'neutral', high: 'warn', urgent: 'bad' } as const;
const TIER_TONE: Record<string, 'bad' | 'warn' | 'neutral'> = { high: 'bad', suspected: 'warn', possible: 'warn', none: 'neutral' };

export function StatusBadge({ status, resolution }: { status: CaseStatus; resolution?: CaseResolution | null }) {
  const { t } = useI18n();
  return (
    <Badge tone={STATUS_TONE[status]}>
      {t(`case.status.${status}`)}
      {resolution ? ` · ${t(`case.resolution.${resolution}`)}` : ''}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: CasePriority }) {
  const { t } = useI18n();
  return <Badge tone={PRIORITY_TONE[priority]}>{t(`case.priority.${priority}`)}</Badge>;
}

export function TierBadge({ tier }: { tier: string }) {
  const { t } = useI18n();
  return <Badge tone={TIER_TONE[tier] ?? 'neutral'}>{knownLabel(t, 'risk.tier.', tier)}</Badge>;
}

/** An indicator kind's name (phone, payee account…) from the catalogue. */
export function KindLabel({ kind }: { kind: string }) {
  const { t } = useI18n();
  return <Badge>{knownLabel(t, 'indicator.kind.', kind)}</Badge>;
}

/** The assignee by display name; the principal id (or key name) shows on hover. */
export function Assignee({ c }: { c: Pick<CaseListItem, 'assignee' | 'assigneeName'> }) {
  const { t } = useI18n();
  if (!c.assignee) return <span className="muted">{t('wf.assignee.none')}</span>;
  const id = 'principalId' in c.assignee ? c.assignee.principalId : c.assignee.keyName;
  return <span title={id}>{c.assigneeName ?? id}</span>;
}
