// Phrasings victims use for the secrets fanzha must never keep, in Chinese and English. Each
// template has one {S} slot; each secret family lists how the secret is written (the groupings,
// full-width digits, words between groups). Every template × writing is one corpus entry: the
// secret's digits must not survive redaction, the `keep` parts must.

export interface CorpusEntry {
  text: string;
  /** Digits (or the token) that must not appear in the redacted text. */
  secret: string;
  /** Substrings that must survive (the scammer's number, punctuation, amounts). */
  keep: string[];
}

const fw = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
/** Digits written out as Chinese numerals, as victims type what they read aloud ("六六五五四四"). */
const cn = (s: string) => s.replace(/[0-9]/g, (d) => '零一二三四五六七八九'[Number(d)]!);

const CARD = '6222021234567890128'; // 19 digits, UnionPay style
const CARD16 = '4111111111111111';
export const CARD_WRITINGS = [
  CARD,
  '6222 0212 3456 7890 128',
  '6222-0212-3456-7890-128',
  fw('6222 0212 3456 7890 128'),
  '622202 1234567890128',
  '6222 0212 然后 3456 7890 再 128',
  CARD16,
  '4111 1111 1111 1111',
  '4111-1111-1111-1111',
  fw(CARD16),
  '4111 1111, 1111 1111',
  '4111 1111 and 1111 1111',
  cn('6222 0212 3456 7890 128'),
];
const CARD_TEMPLATES = [
  '他让我报卡号{S}，说要核实。',
  '我把银行卡号{S}告诉了他',
  '卡号是：{S}',
  '对方问了我的卡号 {S} 还有姓名',
  '我的储蓄卡{S}被扣了钱。',
  '信用卡 {S}',
  '他说退款要打到卡上，我报了{S}。',
  'I gave him my card number {S} because he said it was for the refund.',
  'card: {S}',
  'My debit card is {S}.',
  'He asked for the card ({S}) and my name',
  'Card no. {S}, bank of china',
];

const ID = '11010519491231002X';
export const ID_WRITINGS = [ID, '110105 19491231 002X', '110105-19491231-002x', fw(ID), '11010519491231002x'];
const ID_TEMPLATES = [
  '身份证号{S}',
  '他让我报身份证 {S}，说是实名认证。',
  '我的身份证号码是：{S}',
  'My ID number is {S}.',
  'ID card {S} was photographed',
  '证件号 {S}；',
];

const CVV_TEMPLATES = [
  'CVV {S}',
  'cvv2: {S}',
  'CVV2 is {S}.',
  'cvc {S}',
  'CVN：{S}',
  '安全码{S}',
  '安全码是 {S}。',
  '卡背后三位 {S}',
  '卡背面三位数字是{S}',
  '背后的三位{S}，',
  '他让我把卡背后三位{S}报给他',
  'the three digits on the back of the card: {S}',
  'security code {S}',
  'card verification value {S}',
  'I read him the back of my card, {S}.',
  '{S}是安全码',
  '{S} is the cvv',
  '卡片背面的数字 {S}',
];
export const CVV_WRITINGS = ['123', '456', '789', fw('321'), cn('852')];

const CODE_TEMPLATES = [
  '验证码483920',
  '验证码是 483920。',
  '短信里的数字是 {S}',
  '短信上的数字{S}我也报了',
  '他让我念短信里的{S}',
  '动态码：{S}',
  '校验码 {S}，',
  '收到的验证码{S}发给他了',
  '把短信验证码{S}告诉对方',
  '确认码是{S}。',
  '认证码{S}',
  '动态密码 {S}',
  '那串数字{S}我读给他听了',
  '{S}是验证码',
  '{S} 这个验证码',
  'The code was {S}.',
  'verification code: {S}',
  'OTP {S}',
  'He asked me to read the SMS: {S}',
  'I told him the one-time code {S}',
  'my pin {S}',
  'the passcode {S}',
  'code {S} from the bank',
  '收到验证码，对方让我念出来，我说了 {S}',
  '短信中的{S}',
  '验证码：{S}，有效期5分钟',
  'sms said {S}',
];
export const CODE_WRITINGS = ['665544', '6 6 5 5 4 4', '665 544', fw('483920'), '1234', '90817263', cn('665544'), '幺三五七九两'];

const EXP_TEMPLATES = [
  '有效期 {S}',
  '有效期是{S}，',
  '卡的有效期至{S}',
  'expiry {S}',
  'exp {S}',
  'valid thru {S}',
  'expires {S}.',
  'expiration date: {S}',
  '到期日{S}',
];
export const EXP_WRITINGS = ['12/28', '08/2028', '2028年8月', '0828', '12-27', '2029.10'];

const PASSWORD_TEMPLATES = [
  '密码是{S}',
  '密码：{S}，',
  '支付密码 {S}。',
  '登录密码是 {S}',
  '取款密码{S}',
  '交易密码为{S}',
  'password {S}',
  'my password is {S}.',
  'pwd: {S}',
  'the password was {S} so he logged in',
  '口令 {S}',
  '他问密码，我说{S}',
  'passwd={S}',
];
export const PASSWORD_WRITINGS = ['abc12345', 'Hunter2x', 'qwe!234', fw('a1b2c3d4')];

const URL_TEMPLATES = ['他发来链接 {S} 让我填退款信息', '链接：{S}，打开是京东的样子', 'He sent {S} to claim the refund', '短信里有个网址{S}。', 'clicked {S}'];
export const URL_WRITINGS: { url: string; secret: string; keep: string }[] = [
  { url: 'https://jd-refund.cn/r?id=13812340000', secret: '13812340000', keep: 'jd-refund.cn/r' },
  { url: 'http://tk-kefu.top/claim?phone=13912345678&t=1', secret: '13912345678', keep: 'tk-kefu.top/claim?t=1' },
  { url: 'https://refund.example.cn/u/11010519491231002X/form', secret: '11010519491231002X', keep: 'refund.example.cn/u/_/form' },
  { url: 'https://a.cn/p?mobile=%2B8613712345678&src=sms', secret: '13712345678', keep: 'a.cn/p?src=sms' },
  { url: 'http://pay-back.cc/?name=%E5%BC%A0%E4%B8%89&tel=15012345678', secret: '15012345678', keep: 'pay-back.cc/' },
];

function expand(templates: string[], writings: string[], secretOf: (w: string) => string, keepOf: (t: string) => string[] = () => []): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  templates.forEach((t, ti) => {
    // Each template with several writings, rotating so every writing is used with many templates.
    for (let k = 0; k < Math.min(writings.length, 3); k++) {
      const w = writings[(ti + k) % writings.length]!;
      const text = t.includes('{S}') ? t.replace('{S}', w) : t;
      const secret = t.includes('{S}') ? secretOf(w) : (t.match(/\d{4,}/)?.[0] ?? '');
      out.push({ text, secret, keep: keepOf(t) });
      if (!t.includes('{S}')) break;
    }
  });
  return out;
}

const CN_DIGITS: Record<string, string> = {
  零: '0',
  〇: '0',
  一: '1',
  幺: '1',
  二: '2',
  两: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};
const digitsOf = (w: string) =>
  w
    .replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/[零〇一幺二两三四五六七八九]/g, (d) => CN_DIGITS[d]!)
    .replace(/\D/g, '');
const punct = (t: string) => [...t].filter((c) => '，。：；'.includes(c));

export const CORPUS: CorpusEntry[] = [
  ...expand(CARD_TEMPLATES, CARD_WRITINGS, digitsOf, punct),
  ...expand(ID_TEMPLATES, ID_WRITINGS, (w) => digitsOf(w).slice(0, 17), punct),
  ...expand(CVV_TEMPLATES, CVV_WRITINGS, digitsOf, punct),
  ...expand(CODE_TEMPLATES, CODE_WRITINGS, digitsOf, punct),
  ...expand(EXP_TEMPLATES, EXP_WRITINGS, digitsOf, punct),
  ...expand(PASSWORD_TEMPLATES, PASSWORD_WRITINGS, (w) => w, punct),
  ...URL_TEMPLATES.flatMap((t) => URL_WRITINGS.map((u) => ({ text: t.replace('{S}', u.url), secret: u.secret, keep: [u.keep, ...punct(t)] }))),
  // Mixed: a scammer's number and an amount must survive next to the secrets.
  {
    text: '客服13800001111打来，说退款，让我报卡号6222021234567890128和验证码665544，我转了3000元。',
    secret: '6222021234567890128',
    keep: ['13800001111', '3000元', '，', '。'],
  },
  { text: '他用13812345678打来的，验证码 904112 我给了，损失 5000 元。', secret: '904112', keep: ['13812345678', '5000 元', '，', '。'] },
  { text: 'Caller +86 138 0000 2222 asked for CVV 321 and the SMS code 7788.', secret: '321', keep: ['+86 138 0000 2222'] },
];

/** Text that carries no secret: must come back exactly as typed. */
export const CLEAN = [
  '他说是京东客服，订单有质量问题，要给我退款。我没有给他任何信息。',
  '对方号码13800001111，自称“快递理赔”，让我下载一个会议软件。',
  '转了 3000，又转 5000，再转 2000，最后 1000。',
  'He called at 14:30 on 2026-11-27, said the parcel was lost; I paid 199.00 yuan.',
  '订单号 12345，金额 299 元；客服工号 8848。',
  '网址是 https://jd-refund.cn/login?from=sms ，我没点开。',
  '（他说：“我们是官方的”）——我不信。',
  '他让我先转三千元，分两次转，第一次是周三。',
  '客服说七天无理由退货，三到五个工作日到账。',
];
