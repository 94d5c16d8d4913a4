// Payment institutions and platforms. Victims often name the processor instead of the scammer
// ("收款方：支付宝（中国）网络技术有限公司"); as a payee name it says nothing about who got the
// money and would join every such report into one case. A payee name that is one of these never
// links (it is kept on the report and shown, marked). The list is built in and editable: the
// config key `areas.reports.paymentInstitutions` replaces it, and admins add entries at run time
// through the warning list (kind `institution`). The shop's own channels stay on the warning list.
import { normalizeCompany } from './normalize.ts';

export const BUILTIN_INSTITUTIONS: string[] = [
  // Alipay / Ant
  '支付宝',
  '支付宝（中国）网络技术有限公司',
  '支付宝(中国)网络技术有限公司',
  '支付宝（杭州）信息技术有限公司',
  '蚂蚁集团',
  '蚂蚁科技集团股份有限公司',
  'Alipay',
  'Alipay.com Co., Ltd.',
  'Alipay (China) Network Technology Co., Ltd.',
  'Ant Group',
  'Zhifubao',
  // Tenpay / WeChat Pay
  '财付通',
  '财付通支付科技有限公司',
  '深圳市财付通科技有限公司',
  '微信支付',
  '微信',
  '微信零钱',
  'WeChat Pay',
  'WeChatPay',
  'Weixin Pay',
  'Tenpay',
  'Tenpay Payment Technology Co., Ltd.',
  // 99Bill
  '快钱',
  '快钱支付',
  '快钱支付清算信息有限公司',
  '99bill',
  '99Bill Corporation',
  // UnionPay
  '银联',
  '中国银联',
  '中国银联股份有限公司',
  '银联商务',
  '银联商务股份有限公司',
  '云闪付',
  'UnionPay',
  'China UnionPay',
  'China UnionPay Co., Ltd.',
  'Chinapay',
  '银联电子支付',
  '上海银联电子支付服务有限公司',
  // JD Pay
  '京东支付',
  '京东钱包',
  '网银在线',
  '网银在线（北京）科技有限公司',
  '京东金融',
  '京东科技',
  'JD Pay',
  'JDPay',
  'Chinabank Payments',
  // Lakala
  '拉卡拉',
  '拉卡拉支付',
  '拉卡拉支付股份有限公司',
  'Lakala',
  // Others that settle for merchants
  '通联支付',
  '通联支付网络服务股份有限公司',
  'Allinpay',
  '易宝支付',
  '易宝支付有限公司',
  'YeePay',
  '汇付天下',
  '汇付天下有限公司',
  'ChinaPnR',
  'Huifu',
  '连连支付',
  '连连银通电子支付有限公司',
  'LianLian Pay',
  '宝付',
  '宝付网络科技（上海）有限公司',
  'Baofoo',
  '富友支付',
  '上海富友支付服务股份有限公司',
  'Fuiou',
  '随行付',
  '随行付支付有限公司',
  'Vbill',
  '乐刷',
  '深圳市乐刷科技有限公司',
  'Leshua',
  '合利宝',
  '广州合利宝支付科技有限公司',
  '收钱吧',
  'Shouqianba',
  '美团支付',
  '美团',
  '抖音支付',
  '合众易宝',
  '度小满支付',
  '百度钱包',
  '壹钱包',
  '平安付',
  'PayPal',
  '贝宝',
  'Stripe',
  '网联',
  '网联清算有限公司',
  'NetsUnion',
  '中国人民银行',
  '数字人民币',
  'e-CNY',
];

/** Names a payee-name value must not link on, in their normalised forms (plus a spacing-free Latin form). */
export function institutionMatcher(names: readonly string[]): (payeeName: string) => boolean {
  const set = new Set<string>();
  for (const n of names) {
    const v = normalizeCompany(n);
    if (v) {
      set.add(v);
      set.add(latinKey(v));
    }
  }
  return (value) => set.has(value) || set.has(latinKey(value));
}

// "Alipay.com Co., Ltd", "alipay.com co ltd", "ALIPAY" all compare the same.
function latinKey(v: string): string {
  return v.replace(/[\s.,·'"]/g, '').replace(/(co)?(ltd|limited|inc|corp|corporation)$/, '');
}
