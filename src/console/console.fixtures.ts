// Data in the shapes the console's API modules expect from areas that are not merged yet
// (console/src/api/*.ts). The browser test serves it with request interception to check that
// every screen renders real-looking content without errors and stays accessible with data on it.
// Personal data appears masked, as the server returns it.
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 10, 20 + d, h, 15)).toISOString();

export const FIXTURES: Record<string, unknown> = {
  'GET /v1/console/features': null, // filled by the test: every feature on
  'GET /v1/reports/stats': {
    reportsThisWeek: 37,
    reportsLastWeek: 21,
    byDay: [0, 1, 2, 3, 4, 5, 6].map((d) => ({ day: day(d).slice(0, 10), reports: [3, 2, 5, 4, 9, 8, 6][d]! })),
    victims: 31,
    totalLossMinor: 9_824_500,
    medianLossMinor: 340_000,
    currency: 'CNY',
  },
  'GET /v1/cases': {
    items: [
      { id: 'case_k1', status: 'open', title: '冒充售后退款 · 上海某某科技', reports: 14, victims: 12, totalLossMinor: 6_268_900, currency: 'CNY', firstAt: day(0), lastAt: day(6), topIndicator: { kind: 'payee', value: '上海某某科技有限公司' } },
      { id: 'case_k2', status: 'open', reports: 5, victims: 5, totalLossMinor: 800_000, currency: 'CNY', firstAt: day(2), lastAt: day(5), topIndicator: { kind: 'domain', value: 'shop-tuikuan.example' } },
      { id: 'case_k3', status: 'closed', reports: 2, victims: 1, totalLossMinor: 3100, currency: 'CNY', firstAt: day(1), lastAt: day(1), topIndicator: { kind: 'phone', value: '+86 21 5555 0101' } },
    ],
    nextCursor: null,
  },
  'GET /v1/cases/case_k1': {
    id: 'case_k1', status: 'open', title: '冒充售后退款 · 上海某某科技', reports: 14, victims: 12, totalLossMinor: 6_268_900, currency: 'CNY', firstAt: day(0), lastAt: day(6),
    stats: { medianLossMinor: 340_000, maxLossMinor: 4_720_000, byChannel: { call: 11, sms: 3 }, byMethod: { bank_transfer: 6, alipay: 2 }, byScript: { refund_problem: 12, screen_share: 4 } },
    timeline: [
      { at: day(0, 9), kind: 'contact', reportId: 'rep_001', channel: 'call' },
      { at: day(0, 10), kind: 'loss', reportId: 'rep_001', amountMinor: 4_720_000 },
      { at: day(1, 14), kind: 'contact', reportId: 'rep_002', channel: 'call' },
      { at: day(1, 15), kind: 'loss', reportId: 'rep_002', amountMinor: 500_000 },
      { at: day(2, 11), kind: 'report', reportId: 'rep_003' },
    ],
    indicators: [
      { id: 'ind_p1', kind: 'phone', value: '+86 21 5555 0101', tier: 'high', reportIds: ['rep_001', 'rep_002', 'rep_003'] },
      { id: 'ind_d1', kind: 'domain', value: 'shop-tuikuan.example', tier: 'high', reportIds: ['rep_002', 'rep_004'] },
      { id: 'ind_y1', kind: 'payee', value: '上海某某科技有限公司', tier: 'high', reportIds: ['rep_001', 'rep_004', 'rep_005'] },
    ],
    moneyPath: [
      { payeeName: '上海某某科技有限公司', payeeAccount: '6222 **** **** 0417', institution: '某商业银行', amountMinor: 5_760_900, payments: 7 },
      { payeeName: '某某网络服务部', institution: '支付宝', amountMinor: 508_000, payments: 2 },
    ],
  },
  'GET /v1/investigations': { items: [{ id: 'inv_7', status: 'done', verdict: 'attributed', caseId: 'case_k1', createdAt: day(6) }] },
  'GET /v1/investigations/inv_7': {
    id: 'inv_7', status: 'done', verdict: 'attributed', caseId: 'case_k1', createdAt: day(6), threshold: 0.01,
    suspects: [
      { principalId: 'stf_agent_0417', principalName: '外包客服 · 张*（乙班）', coverage: 11, victims: 12, expected: 0.9, pValue: 3.2e-11, attributed: true,
        evidence: [{ victim: 'cus_…83f2 · 刘*', contactAt: day(0, 9), accessAt: day(-1, 16), fields: ['name', 'phone', 'items', 'refund'] }] },
      { principalId: 'sys_bi', principalName: 'BI 批处理', coverage: 12, victims: 12, expected: 11.8, pValue: 1, evidence: [] },
      { principalId: 'stf_agent_0233', coverage: 2, victims: 12, expected: 0.8, pValue: 0.61, evidence: [] },
    ],
    notExcluded: [{ principalId: 'ptn_courier_sf', principalName: '快递合作方', coverage: 12, victims: 12, reason: '收到全部发货单' }],
    atRisk: { count: 214, customers: [{ customerId: 'cus_…19ab', name: '王*', phone: '139****2210' }] },
  },
  'GET /v1/audit/entries': {
    items: [
      { position: 1_048_577, source: 'event', principalId: 'api_partner_7', customerId: 'cus_…a91', orderId: 'ord_…a91', fields: ['name', 'phone', 'address'], purpose: 'sync', channel: 'api', ticket: null, eventId: null, exportId: null, at: day(5, 3), recordedAt: day(5, 3) },
      { position: 1_048_576, source: 'event', principalId: 'api_partner_7', customerId: 'cus_…a90', orderId: null, fields: ['name', 'phone'], purpose: null, channel: 'api', ticket: null, eventId: null, exportId: null, at: day(5, 3), recordedAt: day(5, 3) },
    ],
    nextCursor: null,
  },
  'GET /v1/audit/verify': { intact: true, size: 1_048_577, head: 'b3f1…9e', checkpointsChecked: 12, checkpointsRejected: 0 },
  'GET /v1/audit/checkpoints': { verifierKey: 'fanzha+…', items: [{ size: 1_048_000, hash: 'b3f1…9e', note: '…', createdAt: day(6, 12) }] },
  'GET /v1/audit/alerts': { items: [{ id: 'alr_1', rule: 'off_hours_bulk', principalId: 'api_partner_7', severity: 'high', detail: { reads: 1820 }, windowStart: day(5, 2), windowEnd: day(5, 4), createdAt: day(5, 4) }], nextCursor: null },
  'GET /v1/canaries': { items: [{ id: 'can_1', scope: '快递合作方 · 顺*', createdAt: day(0), trips: 1, lastTripAt: day(5, 20) }, { id: 'can_2', scope: '外包客服 · 乙班', createdAt: day(0), trips: 0, lastTripAt: null }] },
  'GET /v1/exports': { items: [{ id: 'exp_1', recipient: '快递合作方 · 顺*', records: 18_230, createdAt: day(3), substitutes: 'virtual_number' }] },
  'GET /v1/incidents': { items: [{ id: 'inc_1', status: 'open', openedAt: day(6, 13), principalId: 'stf_agent_0417', investigationId: 'inv_7', atRisk: 214, notified: 180 }] },
  'GET /v1/logins/stats': {
    mode: 'surge',
    series: Array.from({ length: 24 }, (_, h) => ({ at: day(6, h), allow: 900 + 20 * h, challenge: h > 14 ? 300 : 20, deny: h > 15 ? 1400 : 10 })),
    topPrefixes: [{ prefix: '203.0.113.0/24', failures: 8_210, denied: 7_990 }, { prefix: '2001:db8:12::/56', failures: 3_020, denied: 2_875 }],
  },
  'GET /v1/official-channels': { items: [{ id: 'och_1', kind: 'phone', value: '400-800-1234', note: '客服热线' }, { id: 'och_2', kind: 'domain', value: 'shop.example' }] },
};
