// Builds the configured channels. `log` is always there; the others appear when configured.
import type { Channel } from './channel.ts';
import type { NotifyConfig } from '../notify.config.ts';
import { LogChannel } from './log.channel.ts';
import { WebhookChannel } from './webhook.channel.ts';
import { SmtpChannel } from './smtp.channel.ts';
import { AliyunSmsChannel } from './aliyun.channel.ts';
import { TencentSmsChannel } from './tencent.channel.ts';
import { TwilioSmsChannel } from './twilio.channel.ts';

export function buildChannels(cfg: NotifyConfig): Map<string, Channel> {
  const m = new Map<string, Channel>();
  const add = (c: Channel) => m.set(c.name, c);
  add(new LogChannel(cfg.logFile));
  const c = cfg.channels;
  if (c.webhook) add(new WebhookChannel(c.webhook));
  if (c.smtp) add(new SmtpChannel(c.smtp));
  if (c.aliyun) add(new AliyunSmsChannel(c.aliyun));
  if (c.tencent) add(new TencentSmsChannel(c.tencent));
  if (c.twilio) add(new TwilioSmsChannel(c.twilio, cfg.officialDomain));
  return m;
}
