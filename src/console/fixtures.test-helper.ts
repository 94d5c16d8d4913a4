// Data in the shapes of the merged areas' response schemas (src/reports/reports.schemas.ts and
// reports.routes.ts, src/audit/audit.schemas.ts, src/canaries/canaries.schemas.ts, src/guard/guard.schemas.ts,
// src/investigations/investigations.schemas.ts, src/incidents/incidents.schemas.ts). The browser test serves it with request
// interception to check that every screen renders real-looking content without errors and stays
// accessible with data on it. Personal data appears masked, as the server returns it.
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, 20 + d, h, 15)).toISOString();
/** A UTC day `ago` days before today: the overview counts "this week" from today. */
const daysAgo = (ago: number) => new Date(Date.now() - ago * 86_400_000).toISOString().slice(0, 10);

const report = (id: string, ref: string, contact: string, loss: number, indicators: [string, string][]) => ({
  id, reference: ref, caseId: 'case_k1', trust: 'verified-order-owner', channel: 'call', contactAt: contact, receivedAt: contact, customerId: null, orderIds: [], anonymousOrderRefs: 1,
  knewFields: ['name', 'items', 'refund'], scriptTags: ['refund-problem'], exposed: [], claimedIdentity: '售后客服', narrative: null, apps: [], loss, currency: 'CNY',
  payments: [], indicators: indicators.map(([kind, value]) => ({ kind, value, linked: true, official: false, unlinkedReason: null })), evidence: [],
});

function caseItem(id: string, reports: number, victims: number, loss: number, mainIndicator: { kind: string; value: string; reports: number }, tier: string, wf: Record<string, unknown>) {
  return {
    id, reports, victims, loss: { currency: 'CNY', total: loss }, lastContact: day(2, 11), mainIndicator, tier,
    status: 'open', resolution: null, priority: 'normal', dueAt: null, overdue: false, assignee: null, assigneeName: null, tags: [],
    createdAt: day(0), updatedAt: day(6), ...wf,
  };
}

const INCIDENT = {
  id: 'inc_1', title: '售后坐席泄露退款订单', state: 'contained', source: 'investigation', sourceRef: 'inv_7', principalIds: ['stf_agent_0417'],
  fields: ['name', 'phone', 'items'], from: day(1), to: day(6, 13), affected: 214,
  counts: { byField: { name: 214, phone: 214, items: 190 }, byProvince: { 广东省: 80, 浙江省: 61, 江苏省: 73 } },
  containment: { keysRevoked: 1, frozenPrincipals: ['stf_agent_0417'], webhook: { status: 'not_configured', at: Date.parse(day(6, 14)) } },
  createdAt: day(6, 13), updatedAt: day(6, 14),
};

export const FIXTURES: Record<string, unknown> = {
  'GET /v1/console/features': null, // filled by the test: every feature on
  'GET /v1/stats/reports': {
    reports: 214,
    cases: 58,
    casesWithSeveralReports: 12,
    lossByCurrency: [{ currency: 'CNY', total: 98_245 }],
    // 37 reports in the last 7 days, 21 in the 7 before.
    lastDays: [[13, 6], [10, 15], [6, 3], [5, 2], [4, 5], [3, 4], [2, 9], [1, 8], [0, 6]].map(([ago, n]) => ({ day: daysAgo(ago!), reports: n!, loss: n! * 1_250.5 })),
    byChannel: [{ key: 'call', reports: 170 }, { key: 'sms', reports: 44 }],
    topIndicators: [{ kind: 'phone', value: '+862155550101', reports: 14, tier: 'high' }],
    topPayees: [{ payee: '上海某某科技有限公司', account: '6222 **** **** 0417', currency: 'CNY', amount: 57_609, payments: 7 }],
  },
  'GET /v1/cases': {
    total: 3, limit: 25, offset: 0,
    items: [
      caseItem('case_k1', 14, 11, 52_200, { kind: 'phone', value: '+862155550101', reports: 14 }, 'high', { status: 'investigating', priority: 'urgent', assignee: { principalId: 'stf_analyst_07' }, assigneeName: '王分析', dueAt: day(-3), overdue: true, tags: ['外包'] }),
      caseItem('case_k2', 5, 5, 8_400, { kind: 'payee_account', value: '6222 **** **** 0417', reports: 4 }, 'suspected', { status: 'waiting', priority: 'high' }),
      caseItem('case_k3', 2, 2, 0, { kind: 'sms_sender', value: '1069 0000 1111', reports: 2 }, 'suspected', { status: 'resolved', resolution: 'false_positive', priority: 'low' }),
    ],
  },
  'GET /v1/case-filters': [
    { id: 'mine', name: 'My open cases', builtin: true, query: { assignee: 'me', status: ['open', 'investigating', 'waiting'] } },
    { id: 'overdue', name: 'Overdue', builtin: true, query: { overdue: true } },
    { id: 'cflt_1', name: '大额损失', builtin: false, query: { minLoss: 10_000, sort: 'loss' } },
  ],
  'GET /v1/cases/case_k1/workflow': {
    id: 'case_k1', status: 'investigating', resolution: null, priority: 'urgent', dueAt: day(-3), assignee: { principalId: 'stf_analyst_07' }, assigneeName: '王分析', tags: ['外包'],
  },
  'GET /v1/cases/case_k1/timeline': {
    caseId: 'case_k1',
    entries: [
      { at: day(0, 11), type: 'history', kind: 'assignee', from: null, to: 'principal:stf_analyst_07', detail: null, note: null, by: { keyName: 'desk lead', principalId: null } },
      { at: day(0, 12), type: 'history', kind: 'status', from: 'open', to: 'investigating', detail: null, note: null, by: { keyName: 'analyst key', principalId: 'stf_analyst_07' } },
      { at: day(1, 9), type: 'history', kind: 'note', from: null, to: 'note_1', detail: null, note: '已联系受害人，等待银行流水。', by: { keyName: 'analyst key', principalId: 'stf_analyst_07' } },
      { at: day(2, 8), type: 'history', kind: 'reopened', from: 'resolved', to: 'open', detail: { reportId: 'rep_003', previousResolution: 'confirmed_scam' }, note: null, by: null },
      { at: day(6), type: 'investigation', ref: 'inv_7', verdict: 'attributed', victims: 12 },
      { at: day(6, 13), type: 'incident', ref: 'inc_1', state: 'contained', principalIds: ['stf_agent_0417'], detail: { investigationId: 'inv_7', affected: 214 } },
    ],
    notes: [{ id: 'note_1', caseId: 'case_k1', body: '已联系受害人，等待银行流水。', author: { keyName: 'analyst key', principalId: 'stf_analyst_07' }, at: day(1, 9) }],
    principals: { stf_analyst_07: '王分析', stf_agent_0417: '张*（乙班）' },
  },
  'GET /v1/cases/case_k1': {
    id: 'case_k1', reports: 3, victims: 3,
    loss: { currency: 'CNY', total: 52_200, median: 5_000, max: 47_200 },
    lossByCurrency: [{ currency: 'CNY', total: 52_200 }],
    firstContact: day(0, 9), lastContact: day(2, 11),
    timeline: [{ day: day(0).slice(0, 10), reports: 1, loss: 47_200 }, { day: day(1).slice(0, 10), reports: 1, loss: 5_000 }, { day: day(2).slice(0, 10), reports: 1, loss: 0 }],
    byChannel: [{ key: 'call', reports: 3, loss: 52_200 }],
    byPaymentMethod: [{ key: 'bank-transfer', reports: 2, loss: 52_200 }],
    byScript: [{ key: 'refund-problem', reports: 3, loss: 52_200 }, { key: 'screen-share', reports: 1, loss: 47_200 }],
    knewFields: [{ key: 'items', reports: 3, loss: 52_200 }, { key: 'refund', reports: 3, loss: 52_200 }],
    topIndicators: [
      { kind: 'phone', value: '+862155550101', reports: 3, tier: 'high' },
      { kind: 'domain', value: 'shop-tuikuan.example', reports: 2, tier: 'suspected' },
      { kind: 'payee_name', value: '上海某某科技有限公司', reports: 2, tier: 'suspected' },
    ],
    topPayees: [
      { payee: '上海某某科技有限公司', account: '6222 **** **** 0417', institution: '某商业银行', amount: 47_200, payments: 1, currency: 'CNY' },
      { payee: '某某网络服务部', account: null, institution: '支付宝', amount: 5_000, payments: 1, currency: 'CNY' },
    ],
    merges: [],
    splitFrom: null,
    splits: [],
    createdAt: day(0, 9),
    updatedAt: day(2, 11),
  },
  'GET /v1/cases/case_k1/reports': [
    { id: 'rep_001', reference: 'FZ-7K2Q-9D', trust: 'verified-order-owner', channel: 'call', contactAt: day(0, 9), loss: 47_200, currency: 'CNY' },
    { id: 'rep_002', reference: 'FZ-3M8X-2A', trust: 'verified-order-owner', channel: 'call', contactAt: day(1, 14), loss: 5_000, currency: 'CNY' },
    { id: 'rep_003', reference: 'FZ-5T1C-7H', trust: 'anonymous', channel: 'sms', contactAt: day(2, 11), loss: 0, currency: 'CNY' },
  ],
  'GET /v1/reports/rep_001': report('rep_001', 'FZ-7K2Q-9D', day(0, 9), 47_200, [['phone', '+862155550101'], ['payee_name', '上海某某科技有限公司'], ['payee_account', '6222 **** **** 0417']]),
  'GET /v1/reports/rep_002': report('rep_002', 'FZ-3M8X-2A', day(1, 14), 5_000, [['phone', '+862155550101'], ['domain', 'shop-tuikuan.example'], ['payee_name', '上海某某科技有限公司']]),
  'GET /v1/reports/rep_003': report('rep_003', 'FZ-5T1C-7H', day(2, 11), 0, [['phone', '+862155550101'], ['domain', 'shop-tuikuan.example'], ['sms_sender', '1069 0000 1111']]),
  'GET /v1/investigations': [{ id: 'inv_7', verdict: 'attributed', victims: 12, source: 'case', createdAt: day(6) }],
  'GET /v1/investigations/inv_7': {
    id: 'inv_7', createdAt: day(6), verdict: 'attributed',
    summary: '外包客服 · 张*（乙班）在 12 位受害人中覆盖 11 位（无关时预期 0.9 位）。',
    settings: { alpha: 0.001, windowDays: 60, minCovered: 3, maxRounds: 3, notExcludedCoverage: 0.9, minSelectionBias: 5, minSelectionBiasAssigned: 2, hazardDays: 3 },
    victims: { given: 12, used: 12, orderLevel: 12, canaries: 0, unresolved: [] },
    population: [{ stratum: 'cs_agent', size: 140, victims: 12 }],
    familySize: 212,
    alphaSpent: { alpha: 0.001, tests: 0.001, baseRateSampling: 0 },
    rounds: [{ round: 1, alpha: 0.001, family: 212, victims: 12, attributed: 'stf_agent_0417' }],
    suspects: [
      { principalId: 'stf_agent_0417', name: '外包客服 · 张*（乙班）', kind: 'staff', status: 'attributed', round: 1, covered: 11, tested: 12, missed: 1, expectedCoverage: 0.9, baseRates: [{ stratum: 'cs_agent', rate: 0.075 }], sampledBaseRates: false, pValue: 1.5e-13, log10PValue: -12.82, adjustedPValue: 3.2e-11, log10AdjustedPValue: -10.49, selectionBiasToExplain: 38, biasGuarded: 2,
        selfControlled: { log10PValue: -6.1, inHazardWindow: 10, informative: 11, expected: 1.2 },
        evidence: [{ victim: { customerId: 'cus_…83f2', reportId: 'rep_001', contactAt: day(0, 9), knewFields: ['name', 'phone', 'items', 'refund'] }, reads: [{ at: day(-1, 16), fields: ['name', 'phone', 'items', 'refund'], channel: 'console', principalId: 'stf_agent_0417' }] }] },
      { principalId: 'stf_agent_0233', status: 'not_significant', round: 1, covered: 2, tested: 12, missed: 10, expectedCoverage: 0.8, baseRates: [], sampledBaseRates: false, pValue: 0.19, log10PValue: -0.72, adjustedPValue: 1, log10AdjustedPValue: 0, selectionBiasToExplain: 1, biasGuarded: 2, selfControlled: { log10PValue: 0, inHazardWindow: 0, informative: 2, expected: 0.3 }, evidence: [] },
    ],
    notExcluded: [{ principalId: 'ptn_courier_sf', name: '快递合作方', covered: 12, tested: 12, expectedCoverage: 11.8, reason: 'reads_nearly_all', selectionBiasToExplain: 1, decideWith: ['canary', 'export fingerprint'] }],
    accountTakeover: { victimsWithPattern: 0, share: 0, customerIds: [] },
    atRisk: [{ principalId: 'stf_agent_0417', since: day(-30), count: 214, customerIds: ['cus_…19ab', 'cus_…20cd'], truncated: true }],
    unexplainedVictims: 1,
    notes: [],
    durationMs: 840,
  },
  'GET /v1/audit/entries': {
    items: [
      { position: 1_048_577, shard: 0, source: 'event', principalId: 'api_partner_7', customerId: 'cus_…a91', orderId: 'ord_…a91', fields: ['name', 'phone', 'address'], purpose: 'sync', channel: 'api', ticket: null, eventId: null, exportId: null, at: day(5, 3), recordedAt: day(5, 3) },
      { position: 1_048_576, shard: 0, source: 'event', principalId: 'api_partner_7', customerId: 'cus_…a90', orderId: null, fields: ['name', 'phone'], purpose: null, channel: 'api', ticket: null, eventId: null, exportId: null, at: day(5, 3), recordedAt: day(5, 3) },
    ],
    nextCursor: null,
  },
  'GET /v1/audit/verify': { intact: true, size: 1_048_577, head: 'b3f1…9e', checkpointsChecked: 12, checkpointsRejected: 0 },
  'GET /v1/audit/checkpoints': { verifierKey: 'fanzha+…', items: [{ size: 1_048_000, hash: 'b3f1…9e', note: '…', createdAt: day(6, 12) }] },
  'GET /v1/audit/alerts': { items: [{ id: 'alr_1', rule: 'off_hours_bulk', principalId: 'api_partner_7', severity: 'high', detail: { reads: 1820 }, windowStart: day(5, 2), windowEnd: day(5, 4), createdAt: day(5, 4) }], nextCursor: null },
  'GET /v1/canaries': {
    items: [
      { id: 'can_1', customerId: 'cus_can_1', orderIds: ['ord_can_1'], scope: { kind: 'api_client', id: 'courier_sf' }, recipientId: null, status: 'active', createdAt: day(0) },
      { id: 'can_2', customerId: 'cus_can_2', orderIds: ['ord_can_2'], scope: { kind: 'team', id: 'cs_shift_b' }, recipientId: null, status: 'active', createdAt: day(0) },
    ],
  },
  'GET /v1/canaries/trips': { items: [{ id: 'trp_1', canaryId: 'can_1', channel: 'call', scope: { kind: 'api_client', id: 'courier_sf' }, at: day(5, 20), receivedAt: day(5, 20) }] },
  'GET /v1/exports': {
    items: [{ id: 'exp_1', recipientId: 'courier_sf', subjectKind: 'orders', fields: ['name', 'phone', 'address'], phone: 'virtual', format: 'csv', records: 18_230, canaryIds: ['can_3'], at: day(3) }],
  },
  'GET /v1/incidents': [INCIDENT],
  // one incident's page (detail with its transitions, notice progress, affected ids)
  'GET /v1/incidents/inc_1': {
    ...INCIDENT,
    events: [
      { kind: 'opened', fromState: null, toState: 'open', reason: null, detail: { source: 'investigation', sourceRef: 'inv_7', affected: 190 }, byKey: 'key_analyst_1', byName: 'risk analyst', byPrincipal: null, at: day(6, 13) },
      {
        kind: 'scope_edited', fromState: null, toState: null, reason: '把 11 月 21 日的导出也算进来', byKey: 'key_analyst_1', byName: 'risk analyst', byPrincipal: null, at: day(6, 13),
        detail: { before: { principalIds: ['stf_agent_0417'], fields: ['name', 'phone'], from: day(2), to: day(6, 13), affected: 190 }, after: { principalIds: ['stf_agent_0417'], fields: ['name', 'phone', 'items'], from: day(1), to: day(6, 13), affected: 214 } },
      },
      { kind: 'contained', fromState: 'open', toState: 'contained', reason: null, detail: INCIDENT.containment, byKey: 'key_analyst_1', byName: 'risk analyst', byPrincipal: null, at: day(6, 14) },
    ],
  },
  'GET /v1/incidents/inc_1/notify': { affected: 214, enqueued: 0, queued: 0, sent: 0, delivered: 0, failed: 0, suppressed: 0, unreachable: 0, retrying: 0, retries: 0, running: false },
  'GET /v1/incidents/inc_1/customers': { customerIds: ['cus_…19ab', 'cus_…20cd', 'cus_…31ef'] },
  'GET /v1/logins/stats': {
    buckets: Array.from({ length: 24 }, (_, h) => ({ at: day(6, h), allow: 900 + 20 * h, challenge: h > 14 ? 300 : 20, deny: h > 15 ? 1400 : 10 })),
    topPrefixes: [{ prefix: '203.0.113.0/24', failures: 8_210, challenged: 220, denied: 7_990 }, { prefix: '2001:db8:12::/56', failures: 3_020, challenged: 145, denied: 2_875 }],
  },
  'GET /v1/warning-list': [
    { id: 'wl_1', kind: 'phone', value: '+864008001234', label: '客服热线', createdAt: day(0) },
    { id: 'wl_2', kind: 'domain', value: 'shop.example', label: null, createdAt: day(0) },
  ],
  // Masking rules, notice templates, change history
  'GET /v1/settings/masking': {
    roles: {
      agent: { name: 'mask', phone: 'mask', email: 'hide', address: 'hide' },
      analyst: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
      admin: { name: 'mask', phone: 'clear', email: 'mask', address: 'region' },
    },
    defaults: {
      agent: { name: 'mask', phone: 'mask', email: 'hide', address: 'region' },
      analyst: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
      admin: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' },
    },
    overridden: true,
    updatedAt: day(6, 15),
    fields: ['name', 'phone', 'email', 'address'],
    views: { name: ['clear', 'mask', 'hide'], phone: ['clear', 'mask', 'hide'], email: ['clear', 'mask', 'hide'], address: ['clear', 'mask', 'region', 'hide'] },
    examples: {
      name: { clear: '刘小明', mask: '刘*', hide: null },
      phone: { clear: '+8613812345678', mask: '138****5678', hide: null },
      email: { clear: 'liu.xiaoming@example.com', mask: 'l***@example.com', hide: null },
      address: { clear: '广东省 深圳市 南山区 科技园路 1 号', mask: '广东省 深圳市 南山区 ***', region: '广东省 深圳市', hide: null },
    },
  },
  'GET /v1/settings/templates': {
    items: [
      {
        template: 'refund.requested', lang: 'zh-CN', variables: ['shop', 'domain', 'orderId'],
        builtIn: { subject: '【{shop}】退款申请提醒：谨防冒充客服诈骗', text: '【{shop}】您的订单{orderId}已提交退款申请。{shop}客服绝不会来电要求您"重新办理"退款。' },
        override: { subject: '【{shop}】退款提醒', text: '【{shop}】订单{orderId}已申请退款。我们不会来电索要验证码，详情见 {domain}', updatedAt: day(6, 16), updatedBy: 'key_admin_1' },
      },
      {
        template: 'refund.requested', lang: 'en', variables: ['shop', 'domain', 'orderId'],
        builtIn: { subject: '[{shop}] Refund requested: beware of fake customer-service calls', text: '[{shop}] A refund was requested for your order {orderId}.' },
        override: null,
      },
      {
        template: 'incident.notice', lang: 'zh-CN', variables: ['shop', 'domain', 'when', 'fields'],
        builtIn: { subject: '【{shop}】关于您个人信息安全的重要通知', text: '【{shop}】我们发现{when}有人未经授权查看了部分订单信息（{fields}）。详情请访问 {domain}。' },
        override: null,
      },
    ],
  },
  'GET /v1/settings/changes': {
    items: [
      { id: 'set_2', key: 'notify.template.refund.requested.zh-CN', before: null, after: { subject: '【{shop}】退款提醒', text: '【{shop}】订单{orderId}已申请退款。' }, by: { keyId: 'key_admin_1', keyName: '值班管理员', role: 'admin' }, at: day(6, 16) },
      {
        id: 'set_1', key: 'vault.masking', before: null,
        after: { agent: { name: 'mask', phone: 'mask', email: 'hide', address: 'hide' }, analyst: { name: 'mask', phone: 'mask', email: 'mask', address: 'region' }, admin: { name: 'mask', phone: 'clear', email: 'mask', address: 'region' } },
        by: { keyId: 'key_admin_1', keyName: '值班管理员', role: 'admin' }, at: day(6, 15),
      },
    ],
  },
};
