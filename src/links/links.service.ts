// Link verdicts: official (the shop's own domain), reported (in reports; with cases),
// lookalike (of which brand, by which technique) or unknown. Brands are the warning list's
// official domains plus a configurable list of platforms scammers impersonate.
import { normalizeUrl } from '../lib/url.ts';
import { LookalikeDetector, lureSignals, type LookalikeMatch } from './lookalike.ts';
import type { WarningList } from '../reports/warning-list.ts';
import type { ReportsService } from '../reports/reports.service.ts';
import type { RiskTier } from '../reports/risk.ts';

/** Platforms refund scams impersonate in China; override with areas.links.brands. */
export const DEFAULT_BRANDS = [
  'taobao.com',
  'tmall.com',
  'jd.com',
  'alipay.com',
  'pinduoduo.com',
  'yangkeduo.com',
  'meituan.com',
  'ele.me',
  'qq.com',
  'tenpay.com',
  'unionpay.com',
  '95516.com',
  'icbc.com.cn',
  'ccb.com',
  'abchina.com',
  'boc.cn',
  'bankcomm.com',
  'cmbchina.com',
  'suning.com',
  'vip.com',
  'dangdang.com',
  'ctrip.com',
  '12306.cn',
  'kuaishou.com',
  'douyin.com',
  'xiaohongshu.com',
  'apple.com',
  'sf-express.com',
  'zto.com',
  'weibo.com',
  'alibaba.com',
  'aliexpress.com',
  'psbc.com',
  'spdb.com.cn',
  'cib.com.cn',
  'pingan.com',
  'chinamobile.com',
  '10086.cn',
];

export type Verdict = 'official' | 'reported' | 'lookalike' | 'unknown' | 'invalid';

export interface LinkVerdict {
  input: string;
  verdict: Verdict;
  url: string | null;
  domain: string | null;
  lookalike: LookalikeMatch | null;
  risk: RiskTier;
  cases: string[];
  signals: string[];
}

export class LinksService {
  private detector: { key: string; d: LookalikeDetector } | null = null;
  constructor(
    private readonly warningList: WarningList,
    private readonly reports: ReportsService,
    private readonly extraBrands: string[] = DEFAULT_BRANDS,
  ) {}

  private async getDetector(): Promise<LookalikeDetector> {
    const official = await this.warningList.officialDomains();
    const key = official.join(',');
    if (!this.detector || this.detector.key !== key) this.detector = { key, d: new LookalikeDetector([...official, ...this.extraBrands]) };
    return this.detector.d;
  }

  async check(inputs: string[]): Promise<LinkVerdict[]> {
    const detector = await this.getDetector();
    const official = await this.warningList.labeller();
    const parsed = inputs.map((input) => ({ input, n: normalizeUrl(input) }));
    const keys = parsed.flatMap((p) =>
      p.n
        ? [
            { kind: 'url', value: p.n.url },
            { kind: 'domain', value: p.n.registrableDomain },
          ]
        : [],
    );
    const risk = await this.reports.riskOf(keys);
    return parsed.map(({ input, n }) => {
      if (!n) return { input, verdict: 'invalid', url: null, domain: null, lookalike: null, risk: 'none', cases: [], signals: [] };
      const base = { input, url: n.url, domain: n.registrableDomain, signals: [] as string[] };
      if (official('domain', n.registrableDomain) !== undefined) return { ...base, verdict: 'official', lookalike: null, risk: 'none', cases: [] };
      const r1 = risk.get(`url\u0000${n.url}`);
      const r2 = risk.get(`domain\u0000${n.registrableDomain}`);
      const best = [r1, r2].filter((x) => x !== undefined).sort((a, b) => b!.reports - a!.reports)[0];
      const cases = [...new Set([...(r1?.cases ?? []), ...(r2?.cases ?? [])])];
      const lookalike = n.isIp ? null : detector.check(n.host);
      const signals = n.isIp ? ['ip-address'] : lureSignals(n.host);
      const verdict: Verdict = best ? 'reported' : lookalike ? 'lookalike' : 'unknown';
      return { ...base, verdict, lookalike, risk: best?.tier ?? 'none', cases, signals };
    });
  }
}
