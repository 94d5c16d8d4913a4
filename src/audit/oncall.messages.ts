// What an access alert says on-call: the rule, the principal and the figures, never personal data.
import type { Alert } from './alerts.ts';
import type { OnCallAlert } from './oncall.service.ts';

const RULE_TITLES: Record<string, string> = {
  'volume-spike': 'Read volume spike',
  'off-hours-bulk': 'Bulk reads off hours',
  'refund-then-read': 'Orders read right after their refund requests',
  'sequential-enumeration': 'Sequential enumeration of ids',
};

export function alertMessage(a: Alert): OnCallAlert {
  const facts = Object.entries(a.detail).map(([k, v]) => `- ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return {
    kind: a.rule,
    severity: a.severity,
    key: `${a.rule}:${a.principalId}`,
    title: `${RULE_TITLES[a.rule] ?? a.rule}: principal ${a.principalId}`,
    text: [
      `Window ${new Date(a.windowStart).toISOString()} – ${new Date(a.windowEnd).toISOString()}`,
      ...facts,
      `Alert ${a.id} in the console (Access alerts).`,
    ].join('\n'),
    data: {
      alertId: a.id,
      rule: a.rule,
      principalId: a.principalId,
      windowStart: new Date(a.windowStart).toISOString(),
      windowEnd: new Date(a.windowEnd).toISOString(),
      detail: a.detail,
    },
  };
}
