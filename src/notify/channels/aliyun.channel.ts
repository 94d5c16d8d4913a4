// Aliyun (Alibaba Cloud) SMS, Dysmsapi 2017-05-25 SendSms, called through the RPC API with
// signature version 1.0 (HMAC-SHA1), as documented by Alibaba Cloud:
//   1. all parameters except Signature, sorted by name (byte order);
//   2. each name and value percent-encoded (RFC 3986: A-Z a-z 0-9 - _ . ~ unreserved, space as %20);
//   3. CanonicalizedQueryString = name=value joined by &;
//   4. StringToSign = METHOD & percentEncode("/") & percentEncode(CanonicalizedQueryString);
//   5. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).
import { createHmac, randomUUID } from 'node:crypto';
import type { Channel, OutgoingNotice, Recipient } from './channel.ts';
import { ChannelError, httpError, post } from './channel.ts';
import { smsParams } from './sms-params.ts';
import type { AliyunSmsConfig } from '../notify.config.ts';

export function aliyunPercentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function aliyunStringToSign(method: string, params: Record<string, string>): string {
  const canonical = Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(params[k]!)}`)
    .join('&');
  return `${method}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
}

export function aliyunSign(secret: string, method: string, params: Record<string, string>): string {
  return createHmac('sha1', secret + '&')
    .update(aliyunStringToSign(method, params))
    .digest('base64');
}

/** Aliyun wants mainland numbers without +86 and others as country code + number without "+". */
export function aliyunPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

const PERMANENT =
  /^(isv\.(MOBILE_NUMBER_ILLEGAL|INVALID_PARAMETERS|SMS_TEMPLATE_ILLEGAL|SMS_SIGNATURE_ILLEGAL|TEMPLATE_MISSING_PARAMETERS|PARAM_LENGTH_LIMIT|BLACK_KEY_CONTROL_LIMIT|MOBILE_COUNT_OVER_LIMIT)|InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature)/;

export class AliyunSmsChannel implements Channel {
  readonly name = 'aliyun';
  readonly needs = 'phone' as const;
  constructor(private readonly cfg: AliyunSmsConfig) {}

  async deliver(n: OutgoingNotice, to: Recipient) {
    if (!to.phone) throw new ChannelError('aliyun: the customer has no phone number', true);
    const templateCode = this.cfg.templateCodes[n.template];
    if (!templateCode) throw new ChannelError(`aliyun: no TemplateCode configured for ${n.template}`, true);
    const templateParam: Record<string, string> = {};
    for (const p of smsParams(n.template, n.vars)) templateParam[p.name] = p.value;
    const params: Record<string, string> = {
      AccessKeyId: this.cfg.accessKeyId,
      Action: 'SendSms',
      Format: 'JSON',
      RegionId: this.cfg.regionId ?? 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      PhoneNumbers: aliyunPhone(to.phone),
      SignName: this.cfg.signName,
      TemplateCode: templateCode,
      TemplateParam: JSON.stringify(templateParam),
      // OutId comes back in delivery receipts; it is the notice's idempotency handle.
      OutId: n.id,
    };
    params.Signature = aliyunSign(this.cfg.accessKeySecret, 'POST', params);
    const body = Object.entries(params)
      .map(([k, v]) => `${aliyunPercentEncode(k)}=${aliyunPercentEncode(v)}`)
      .join('&');
    const res = await post('aliyun', this.cfg.endpoint ?? 'https://dysmsapi.aliyuncs.com/', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    const json = (await res.json().catch(() => ({}))) as { Code?: string; BizId?: string };
    if (json.Code === 'OK') return { status: 'sent' as const, providerRef: `aliyun:${json.BizId ?? n.id}` };
    if (json.Code) throw new ChannelError(`aliyun ${json.Code}`, PERMANENT.test(json.Code));
    throw httpError('aliyun', res.status);
  }
}
