// Word lists for look-alike detection. English words are the kind dnstwist's dictionary
// generator pairs with a brand ("jd-refund.com"); pinyin words are the lures of Chinese refund
// scams ("taobao-tuikuan.cn": 退款 refund, 客服 customer service, 售后 after-sales, 理赔 claims).
export const ENGLISH_LURE_WORDS = [
  'account',
  'accounts',
  'app',
  'apps',
  'auth',
  'bank',
  'billing',
  'card',
  'cash',
  'center',
  'centre',
  'claim',
  'claims',
  'club',
  'cs',
  'customer',
  'customers',
  'help',
  'helpdesk',
  'home',
  'hk',
  'info',
  'login',
  'logon',
  'mail',
  'mall',
  'member',
  'members',
  'mobile',
  'my',
  'official',
  'online',
  'order',
  'orders',
  'pay',
  'payment',
  'payments',
  'portal',
  'refund',
  'refunds',
  'return',
  'returns',
  'secure',
  'security',
  'service',
  'services',
  'shop',
  'sign',
  'signin',
  'store',
  'support',
  'update',
  'user',
  'verify',
  'verification',
  'vip',
  'wallet',
  'web',
  'wap',
  'www',
  'h5',
  'm',
  'cn',
  'china',
  'kf',
  'sh',
  'tk',
  'gov',
  'safe',
  'care',
  'compensation',
] as const;

/** Pinyin lure words (and common abbreviations) seen in Chinese refund-scam domains. */
export const PINYIN_LURE_WORDS = [
  'tuikuan',
  'kefu',
  'shouhou',
  'lipei',
  'peifu',
  'buchang',
  'tuihuo',
  'tuifei',
  'fankuan',
  'dingdan',
  'zhifu',
  'jiedong',
  'dongjie',
  'kuaidi',
  'wuliu',
  'yichang',
  'guanfang',
  'huiyuan',
  'quxiao',
  'daikuan',
  'zhengxin',
  'baozhengjin',
  'jiaoyi',
  'anquan',
  'yanzheng',
  'denglu',
  'zhanghu',
  'zhongxin',
  'fuwu',
  'tousu',
  'weiquan',
  'hongbao',
  'fanli',
  'baoxian',
  'yunfeixian',
  'shouquan',
  'jiebang',
  'tkzx',
  'kfzx',
  'shtk',
] as const;

const ENGLISH = new Set<string>(ENGLISH_LURE_WORDS);
const PINYIN = new Set<string>(PINYIN_LURE_WORDS);

export function isEnglishLure(w: string): boolean {
  return ENGLISH.has(w);
}
export function isPinyinLure(w: string): boolean {
  return PINYIN.has(w);
}

/**
 * Splits `s` into lure words (hyphens and digits allowed between them), or null when it cannot be.
 * Word-break by dynamic programming, preferring fewer words.
 */
export function segmentLureWords(s: string): string[] | null {
  const t = s.replace(/^[-0-9]+|[-0-9]+$/g, '');
  if (!t) return [];
  const n = t.length;
  const best: (string[] | null)[] = new Array(n + 1).fill(null);
  best[0] = [];
  for (let i = 0; i < n; i++) {
    const cur = best[i];
    if (!cur) continue;
    if (t[i] === '-' || /[0-9]/.test(t[i]!)) {
      if (!best[i + 1] || best[i + 1]!.length > cur.length) best[i + 1] = cur;
      continue;
    }
    for (let j = i + 1; j <= Math.min(n, i + 14); j++) {
      const w = t.slice(i, j);
      if (ENGLISH.has(w) || PINYIN.has(w)) {
        const next = [...cur, w];
        if (!best[j] || best[j]!.length > next.length) best[j] = next;
      }
    }
  }
  return best[n] ?? null;
}

/** Every pinyin lure word found as a hyphen/digit-separated token or inside a label. */
export function pinyinLuresIn(labels: string[]): string[] {
  const found = new Set<string>();
  for (const label of labels) for (const w of PINYIN) if (w.length >= 4 && label.includes(w)) found.add(w);
  return [...found].sort();
}
