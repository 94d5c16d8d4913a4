// The public checker (GET /v1/check): "is this number / site / SMS sender really the shop's,
// and has anyone reported it?". It consults only the warning list and reports — never customers
// — and pads every answer to the same minimum time, so neither content nor timing can tell a
// customer's phone from a stranger's.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReportsService } from './reports.service.ts';
import { normalizeReportedPhone, normalizeSender, normalizeDomain } from './normalize.ts';
import type { RiskTier } from './risk.ts';

export type CheckKind = 'phone' | 'domain' | 'sender';

export interface CheckAnswer {
  kind: CheckKind;
  official: boolean;
  officialLabel: string | null;
  risk: RiskTier;
  advice: string;
}

const ADVICE = {
  official:
    '这是本店官方渠道。即便如此，本店绝不会要求您提供银行卡号、密码或验证码。This is an official channel of the shop; even so, the shop never asks for a card number, password or code.',
  high: '多人举报此号码/网站涉嫌诈骗，请立即停止联系。Several people reported this as a scam: stop all contact.',
  suspected: '有人举报此号码/网站涉嫌诈骗，请勿转账或提供验证码。It was reported as a suspected scam: do not pay or share codes.',
  possible: '有一条相关举报，请保持警惕。There is a report about it: be careful.',
  none: '没有记录 —— 这不代表安全。本店不会打电话要求重新退款。No record here — that does not mean it is safe. The shop never calls to redo a refund.',
} as const;

export class PublicChecker {
  constructor(
    private readonly reports: ReportsService,
    private readonly minLatencyMs: number,
  ) {}

  /** Normalises the query; null when it is not a valid value of its kind. */
  parse(kind: CheckKind, value: string): { kind: string; value: string } | null {
    if (kind === 'phone') {
      const v = normalizeReportedPhone(value);
      return v ? { kind: 'phone', value: v } : null;
    }
    if (kind === 'domain') {
      const v = normalizeDomain(value);
      return v ? { kind: 'domain', value: v.registrableDomain } : null;
    }
    const v = normalizeSender(value);
    return v ? { kind: v.startsWith('+') || v.startsWith('cn-short:') ? 'phone' : 'sms_sender', value: v } : null;
  }

  async check(kind: CheckKind, key: { kind: string; value: string }): Promise<CheckAnswer> {
    const started = performance.now();
    // The same two lookups for every input, whatever the first one finds.
    const [label, risk] = await Promise.all([
      this.reports.warningList.labeller().then((f) => f(key.kind, key.value)),
      this.reports.riskOf([key]).then((m) => m.get(`${key.kind}\u0000${key.value}`)),
    ]);
    const official = label !== undefined;
    const tier: RiskTier = official ? 'none' : (risk?.tier ?? 'none');
    const answer: CheckAnswer = {
      kind,
      official,
      officialLabel: official ? label || null : null,
      risk: tier,
      advice: official ? ADVICE.official : ADVICE[tier],
    };
    const left = this.minLatencyMs - (performance.now() - started);
    if (left > 0) await sleep(left);
    return answer;
  }
}
