// Settings of the notify area, read from config.areas.notify (JSON config file) with defaults.
import type { Config } from '../config/config.ts';
import { ROUTE_CHANNEL, type Routes } from './routing.ts';

export interface WebhookChannelConfig {
  url: string;
  secret: string;
}
export interface SmtpChannelConfig {
  host: string;
  port: number;
  secure?: boolean;
  user?: string;
  pass?: string;
  from: string;
  requireTLS?: boolean;
}
export interface AliyunSmsConfig {
  endpoint?: string;
  accessKeyId: string;
  accessKeySecret: string;
  signName: string;
  regionId?: string;
  templateCodes: Record<string, string>;
}
export interface TencentSmsConfig {
  endpoint?: string;
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  region?: string;
  templateIds: Record<string, string>;
}
export interface TwilioSmsConfig {
  endpoint?: string;
  accountSid: string;
  authToken: string;
  from?: string;
  messagingServiceSid?: string;
  statusCallback?: string;
}

export interface NotifyConfig {
  /** Shown in messages (SMS signature, mail subject). Config: a string for every language, or a per-language map. */
  shopName: { 'zh-CN': string; en: string };
  /** The one domain messages may mention; SMS texts with any other link are refused. */
  officialDomain: string;
  /**
   * Channel used when a request names none: log | webhook | smtp | aliyun | tencent | twilio, or
   * "route" (the default when `routes` is set): chosen per customer at delivery (routing.ts).
   */
  defaultChannel: string;
  /** Ordered channels per template (or "default"), each optionally for some languages only. */
  routes: Routes;
  channels: { webhook?: WebhookChannelConfig; smtp?: SmtpChannelConfig; aliyun?: AliyunSmsConfig; tencent?: TencentSmsConfig; twilio?: TwilioSmsConfig };
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  leaseMs: number;
  pollMs: number;
  batchSize: number;
  concurrency: number;
  /** Per customer: at most `max` non-urgent notices sent per `windowMs`. */
  rateLimit: { max: number; windowMs: number };
  /** Customer-local hours [start, end) in which non-urgent notices wait. */
  quietHours: { start: number; end: number; timeZone: string } | null;
  /** A refund notice whose order/customer never arrives dead-letters after this long. */
  unresolvedTtlMs: number;
  /** The late window: a refund event older than this when it arrives is recorded as skipped, not sent (default 72 h). */
  refundWarningMaxAgeMs: number;
  /** The log channel's file (default <dataDir>/notifications.log). */
  logFile: string;
  /** Secret path token for providers' receipt pushes that carry no signature (Aliyun, Tencent). */
  receiptToken?: string;
}

const num = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export function notifyConfig(config: Config): NotifyConfig {
  const a = (config.areas.notify ?? {}) as Omit<Partial<NotifyConfig>, 'shopName'> & { shopName?: string | Record<string, string> } & Record<string, unknown>;
  const name = a.shopName;
  return {
    // a plain string names the shop in every language (it used to be ignored: every SMS read 【本店】)
    shopName: typeof name === 'string' ? { 'zh-CN': name, en: name } : { 'zh-CN': name?.['zh-CN'] ?? '本店', en: name?.en ?? 'Our shop' },
    officialDomain: (a.officialDomain as string) ?? 'shop.example.com',
    defaultChannel: (a.defaultChannel as string) ?? (a.routes && Object.keys(a.routes).length ? ROUTE_CHANNEL : 'log'),
    routes: (a.routes as Routes) ?? {},
    channels: a.channels ?? {},
    maxAttempts: num(a.maxAttempts, 8),
    backoffBaseMs: num(a.backoffBaseMs, 2_000),
    backoffMaxMs: num(a.backoffMaxMs, 3_600_000),
    // short, renewed while a delivery runs: a crashed node's notices are taken over within seconds
    leaseMs: num(a.leaseMs, 8_000),
    pollMs: num(a.pollMs, 500),
    batchSize: num(a.batchSize, 50),
    concurrency: num(a.concurrency, 8),
    rateLimit: { max: num(a.rateLimit?.max, 5), windowMs: num(a.rateLimit?.windowMs, 3_600_000) },
    quietHours:
      a.quietHours === null
        ? null
        : { start: num(a.quietHours?.start, 22), end: num(a.quietHours?.end, 8), timeZone: a.quietHours?.timeZone ?? 'Asia/Shanghai' },
    unresolvedTtlMs: num(a.unresolvedTtlMs, 24 * 3_600_000),
    refundWarningMaxAgeMs: num(a.refundWarningMaxAgeMs, 72 * 3_600_000),
    logFile: (a.logFile as string) ?? `${config.dataDir}/notifications.log`,
    receiptToken: typeof a.receiptToken === 'string' && a.receiptToken.length >= 16 ? a.receiptToken : undefined,
  };
}
