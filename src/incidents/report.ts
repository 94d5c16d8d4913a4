// The regulator report (PIPL art. 57 elements) and the internal post-mortem, as Markdown.
// Both carry the timeline, the numbers, the evidence and the signed access-log checkpoint that
// covers every read the scope was computed from (so the evidence can be shown unaltered since).
import type { Incident, IncidentEvent, NoticeProgress } from './incidents.types.ts';
import { zonedTime, zoneLabel } from '../lib/zoned-time.ts';

export interface ReportEvidence {
  investigation?: {
    id: string;
    createdAt: string;
    verdict: string;
    summary: string;
    firstReportAt: string | null;
    victims: number;
    suspects: {
      principalId: string | null;
      name?: string;
      /** For a group suspect: `org:<name>` or `team:<name>`, and its members. */
      group?: string;
      memberIds?: string[];
      status: string;
      covered: number;
      tested: number;
      expectedCoverage: number;
      adjustedPValue: number;
      log10PValue?: number;
      log10AdjustedPValue?: number;
      selectionBiasToExplain?: number;
    }[];
  };
  /** The signed checkpoint covering the highest access-log position among the scope's reads. */
  checkpoint: { size: number; hash: string; note: string; createdAt: string; coversPosition: number | null } | null;
}

export interface ReportContext {
  shopName: string;
  contact: string;
  generatedAt: string;
  /** The shop's time zone (areas.shop.timeZone): every time in the documents is shown in it, with its offset. */
  timeZone: string;
}

export const REGULATOR_SECTIONS = [
  '泄露的个人信息种类',
  '泄露的原因',
  '可能造成的危害',
  '已采取的补救措施',
  '个人可以采取的减轻危害的措施',
  '联系方式',
] as const;

const FIELD_ZH: Record<string, string> = {
  name: '姓名',
  phone: '电话',
  email: '邮箱',
  address: '地址',
  items: '商品',
  price: '金额',
  placedAt: '下单时间',
  refund: '退款信息',
  orderNo: '订单号',
};

function timeline(inc: Incident, events: IncidentEvent[], ev: ReportEvidence): [string, string][] {
  // sorted on the ISO instants; shown zoned by the callers
  const t: [string, string][] = [];
  if (ev.investigation?.firstReportAt) t.push([ev.investigation.firstReportAt, '首次受害报告 / first victim report']);
  if (ev.investigation) t.push([ev.investigation.createdAt, `调查与归因 / investigation and attribution (${ev.investigation.verdict})`]);
  for (const e of events)
    t.push([
      e.at,
      `${e.kind}${e.toState ? ` → ${e.toState}` : ''}${e.reason ? ` (${e.reason})` : ''}${e.byKey ? ` by ${e.byName ? `${e.byName} (${e.byKey})` : e.byKey}` : ''}`,
    ]);
  return t.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

function countsTable(title: string, counts: Record<string, number>, label: (k: string) => string): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return `${title}\n\n| | |\n|---|---:|\n${rows.map(([k, n]) => `| ${label(k)} | ${n} |`).join('\n')}\n`;
}

function evidenceSection(inc: Incident, ev: ReportEvidence, T: (at: string) => string): string {
  const lines: string[] = [];
  if (ev.investigation) {
    lines.push(
      `- 调查 / Investigation \`${ev.investigation.id}\` (${T(ev.investigation.createdAt)}): verdict ${ev.investigation.verdict}, ${ev.investigation.victims} victims' reports used`,
    );
    const concerns = (x: NonNullable<ReportEvidence['investigation']>['suspects'][number]) =>
      x.principalId ? inc.principalIds.includes(x.principalId) : (x.memberIds ?? []).some((m) => inc.principalIds.includes(m));
    for (const s of ev.investigation.suspects.filter(concerns)) {
      const who = s.principalId ? `\`${s.principalId}\`${s.name ? ` (${s.name})` : ''}` : `\`${s.group}\` (${s.memberIds?.length ?? 0} members)`;
      const p = s.log10AdjustedPValue !== undefined ? `10^${s.log10AdjustedPValue.toFixed(1)}` : s.adjustedPValue.toExponential(2);
      lines.push(
        `- ${who}: ${s.status}; 覆盖 / covered ${s.covered} of ${s.tested} victims, expected ${s.expectedCoverage.toFixed(2)} by chance; Holm-adjusted p = ${p}${s.selectionBiasToExplain !== undefined ? `; ${biasSentence(s.selectionBiasToExplain)}` : ''}`,
      );
    }
  }
  lines.push(
    `- 范围依据 / Scope: access log reads by ${inc.principalIds.map((p) => `\`${p}\``).join(', ')} with ${inc.fields.join(', ')} between ${T(inc.from)} and ${T(inc.to)} (export rows count for the customers of the exported orders); canary records excluded.`,
  );
  if (ev.checkpoint)
    lines.push(
      `- 访问日志签名检查点 / Signed access-log checkpoint: size ${ev.checkpoint.size}, hash \`${ev.checkpoint.hash}\`, signed ${T(ev.checkpoint.createdAt)}; covers every read up to position ${ev.checkpoint.coversPosition ?? '-'}. Verify with \`fanzha audit verify\`.\n\n\`\`\`\n${ev.checkpoint.note.trim()}\n\`\`\``,
    );
  else lines.push('- 访问日志签名检查点 / Signed access-log checkpoint: none covers the evidence yet.');
  return lines.join('\n');
}

/** The robustness to selected reporters, in both languages. */
function biasSentence(gamma: number): string {
  if (gamma >= 1e9) return '任何举报偏差都无法解释 / no reporting bias could explain it';
  if (gamma <= 1) return '偶然即可解释 / chance alone explains it';
  const g = gamma < 10 ? gamma.toFixed(1) : String(Math.round(gamma));
  return `需要其客户的举报可能性高出 ${g} 倍才能用偶然解释 / it would need reporters ${g}× likelier among the customers it read`;
}

/**
 * The cause, stated as findings: who read the data, how the attribution was reached (the figures
 * of each attributed principal), never the analyst's instructions from the investigation summary.
 */
function causeFindings(inc: Incident, ev: ReportEvidence, names: (id: string) => string): string {
  const who = inc.principalIds.map(names);
  if (!ev.investigation) {
    const src: Record<string, string> = {
      canary_trip: '只暴露给该范围的诱饵记录被诈骗方联系 / a canary record exposed only to this scope was contacted by the scammers',
      leak_match: "泄露文件与该范围的导出指纹相符 / a leaked file matched this scope's export fingerprint",
      manual: "店铺审查认定 / established by the shop's review",
    };
    return `- 调查发现 / Finding: 账号 ${who.join('、')} 在其权限范围内读取了上述信息 / ${who.join(', ')} read this data within their access.
- 依据 / Basis: ${src[inc.source] ?? inc.source}${inc.sourceRef ? ` (${inc.sourceRef})` : ''}.`;
  }
  const concerns = (x: NonNullable<ReportEvidence['investigation']>['suspects'][number]) =>
    x.principalId ? inc.principalIds.includes(x.principalId) : (x.memberIds ?? []).some((m) => inc.principalIds.includes(m));
  const lines = [
    `- 调查发现 / Finding: 账号 ${who.join('、')} 在其权限范围内查看了上述订单信息，该信息随后被冒充客服的诈骗者使用 / ${who.join(', ')} read the order data within their access; the data then reached fake customer-service scammers.`,
  ];
  for (const s of ev.investigation.suspects.filter(concerns)) {
    const p = s.log10AdjustedPValue !== undefined ? `10^${s.log10AdjustedPValue.toFixed(1)}` : s.adjustedPValue.toExponential(2);
    const name = s.principalId ? names(s.principalId) : `${s.group} (${s.memberIds?.length ?? 0} members)`;
    lines.push(
      `- 依据 / Basis: ${name} 读取过 ${s.tested} 名受害举报人中 ${s.covered} 人的信息，偶然情况下预期 ${s.expectedCoverage.toFixed(2)} 人 / ${name} had read ${s.covered} of ${s.tested} reporting victims' data, ${s.expectedCoverage.toFixed(2)} expected by chance (Holm-adjusted p = ${p}; ${s.status}).`,
    );
  }
  return lines.join('\n');
}

export function regulatorReport(
  inc: Incident,
  events: IncidentEvent[],
  progress: NoticeProgress,
  ev: ReportEvidence,
  ctx: ReportContext,
  names: (id: string) => string = (id) => id,
): string {
  const fieldsZh = inc.fields.map((f) => FIELD_ZH[f] ?? f).join('、');
  const containment = inc.containment;
  const T = (at: string) => zonedTime(at, ctx.timeZone);
  return `# 个人信息安全事件报告 / Personal information security incident report

${ctx.shopName} · 事件 / Incident \`${inc.id}\` · 状态 / State: ${inc.state} · 生成 / Generated ${T(ctx.generatedAt)}

时间均为 / All times in ${zoneLabel(ctx.timeZone, Date.parse(ctx.generatedAt))}.

依据《个人信息保护法》第五十七条 / Under PIPL article 57.

## 1. 泄露的个人信息种类 / What personal information leaked

${inc.title}

受影响个人 / Affected people: **${inc.affected}**. 信息种类 / Fields: ${fieldsZh} (${inc.fields.join(', ')}). 时间范围 / Window: ${T(inc.from)} – ${T(inc.to)}.

${countsTable('按信息种类 / By field', inc.counts.byField, (k) => `${FIELD_ZH[k] ?? k} (${k})`)}
${countsTable('按省份 / By province', inc.counts.byProvince, (k) => k)}
## 2. 泄露的原因 / Why (cause)

${causeFindings(inc, ev, names)}

## 3. 可能造成的危害 / Possible harm

不法分子可能冒充本店客服，以"退款失败""重新办理退款""理赔"为由来电，诱导转账、索要银行卡号或验证码、或发送虚假退款链接，造成财产损失。 Scammers may call pretending to be our customer service about a failed refund or compensation, and ask for a transfer, card numbers or codes, or send fake refund links: financial loss.

## 4. 已采取的补救措施 / Measures taken

${
  containment
    ? `- 已吊销相关账号在 fanzha 的 ${containment.keysRevoked} 个密钥 / ${containment.keysRevoked} fanzha key(s) revoked
- 已冻结其查看个人信息的权限 / reveals frozen for: ${containment.frozenPrincipals.join(', ')}
- 已通知店铺系统停用账号并轮换 API 密钥 / shop asked (signed webhook) to disable the principal and rotate API client keys: ${containment.webhook.status}`
    : '- 尚未完成控制 / containment not done yet'
}
- 通知受影响个人 / notices to affected people: ${progress.enqueued} of ${progress.affected} queued (queued ${progress.queued}, sent ${progress.sent}, delivered ${progress.delivered}, failed ${progress.failed}, unreachable by any channel ${progress.unreachable})

## 5. 个人可以采取的减轻危害的措施 / What people can do

- 本店绝不会来电要求重新办理退款、转账、索要银行卡号或验证码 / We never call to redo a refund, ask for a transfer, card numbers or codes.
- 接到自称客服的来电，请在 App「官方联系」中核实 / Check any such call in the app's "official contact" card; hang up if it says we are not contacting you.
- 如已转账，请立即报警（110）并联系银行 / If money was sent, call the police (110) and your bank at once.

## 6. 联系方式 / Contact

${ctx.contact}

## 时间线 / Timeline

${timeline(inc, events, ev)
  .map(([at, what]) => `- ${T(at)}: ${what}`)
  .join('\n')}

## 证据 / Evidence

${evidenceSection(inc, ev, T)}
`;
}

export function postMortem(
  inc: Incident,
  events: IncidentEvent[],
  progress: NoticeProgress,
  ev: ReportEvidence,
  ctx: ReportContext,
  names: (id: string) => string = (id) => id,
): string {
  const t = timeline(inc, events, ev);
  const T = (at: string) => zonedTime(at, ctx.timeZone);
  const first = t[0]?.[0];
  const contained = events.find((e) => e.kind === 'contained')?.at;
  const hours = (a?: string, b?: string) => (a && b ? ((Date.parse(b) - Date.parse(a)) / 3_600_000).toFixed(1) + ' h' : '-');
  return `# 内部复盘 / Internal post-mortem: ${inc.title}

Incident \`${inc.id}\` · ${inc.state} · generated ${T(ctx.generatedAt)} · times in ${zoneLabel(ctx.timeZone, Date.parse(ctx.generatedAt))}

## Summary

- Source: ${inc.source}${inc.sourceRef ? ` (${inc.sourceRef})` : ''}
- Principals: ${inc.principalIds.map(names).join(', ')}
- Fields: ${inc.fields.join(', ')}; window ${T(inc.from)} – ${T(inc.to)}
- Affected customers: ${inc.affected}
- Time from first signal to containment: ${hours(first, contained)}

## Numbers

${countsTable('By field', inc.counts.byField, (k) => k)}
${countsTable('By province', inc.counts.byProvince, (k) => k)}
Notices: affected ${progress.affected}, enqueued ${progress.enqueued}, queued ${progress.queued}, sent ${progress.sent}, delivered ${progress.delivered}, failed ${progress.failed}, suppressed ${progress.suppressed}, unreachable ${progress.unreachable}; ${progress.retrying} waiting for a retry, ${progress.retries} repeated attempts.

## Cause (findings)

${causeFindings(inc, ev, names)}

## Timeline

${t.map(([at, what]) => `- ${T(at)}: ${what}`).join('\n')}

## Evidence

${evidenceSection(inc, ev, T)}

## Containment record

\`\`\`json
${JSON.stringify(inc.containment, null, 2)}
\`\`\`

## Follow-ups

- Review why ${inc.principalIds.join(', ')} could read ${inc.fields.join(', ')} in bulk (masking, reveal quotas, tokenised exports).
- Keep the signed checkpoint above outside the shop's systems.
`;
}
