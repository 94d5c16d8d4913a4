// Tencent Cloud SMS API 3.0 (SendSms, version 2021-01-11) with the TC3-HMAC-SHA256 signature
// as documented by Tencent Cloud:
//   CanonicalRequest = POST \n / \n (empty query) \n content-type:…\nhost:…\n \n content-type;host \n hex(sha256(body))
//   StringToSign     = TC3-HMAC-SHA256 \n timestamp \n <date>/sms/tc3_request \n hex(sha256(CanonicalRequest))
//   key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), "sms"), "tc3_request")
//   Authorization    = TC3-HMAC-SHA256 Credential=<SecretId>/<date>/sms/tc3_request, SignedHeaders=content-type;host, Signature=hex(HMAC(key, StringToSign))
import { createHash, createHmac } from 'node:crypto';
import type { Channel, OutgoingNotice, Recipient } from './channel.ts';
import { ChannelError, httpError, post } from './channel.ts';
import { smsParams } from './sms-params.ts';
import type { TencentSmsConfig } from '../notify.config.ts';

const CONTENT_TYPE = 'application/json; charset=utf-8';
const sha256hex = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();

export function tc3Authorization(opts: { secretId: string; secretKey: string; host: string; service: string; timestamp: number; body: string }): string {
  const date = new Date(opts.timestamp * 1000).toISOString().slice(0, 10);
  const canonicalRequest = ['POST', '/', '', `content-type:${CONTENT_TYPE}\nhost:${opts.host}\n`, 'content-type;host', sha256hex(opts.body)].join('\n');
  const scope = `${date}/${opts.service}/tc3_request`;
  const stringToSign = ['TC3-HMAC-SHA256', String(opts.timestamp), scope, sha256hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac('TC3' + opts.secretKey, date), opts.service), 'tc3_request');
  const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${opts.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

const PERMANENT =
  /^(InvalidParameter|MissingParameter|UnsupportedOperation|AuthFailure|FailedOperation\.(TemplateIncorrectOrUnapproved|SignatureIncorrectOrUnapproved|PhoneNumberInBlacklist|ContainSensitiveWord)|LimitExceeded\.PhoneNumberCountLimit)/;
const RETRY_SEND_CODES = /^(LimitExceeded\.(PhoneNumberDailyLimit|PhoneNumberThirtySecondLimit|PhoneNumberOneHourLimit|DeliveryFrequencyLimit)|InternalError)/;

export class TencentSmsChannel implements Channel {
  readonly name = 'tencent';
  readonly needs = 'phone' as const;
  constructor(private readonly cfg: TencentSmsConfig) {}

  async deliver(n: OutgoingNotice, to: Recipient) {
    if (!to.phone) throw new ChannelError('tencent: the customer has no phone number', true);
    const templateId = this.cfg.templateIds[n.template];
    if (!templateId) throw new ChannelError(`tencent: no TemplateId configured for ${n.template}`, true);
    const endpoint = new URL(this.cfg.endpoint ?? 'https://sms.tencentcloudapi.com/');
    // The signed host is the one the request goes to (fetch sets the Host header from the URL).
    const host = endpoint.host;
    const body = JSON.stringify({
      PhoneNumberSet: [to.phone],
      SmsSdkAppId: this.cfg.sdkAppId,
      SignName: this.cfg.signName,
      TemplateId: templateId,
      TemplateParamSet: smsParams(n.template, n.vars).map((p) => p.value),
      // Returned unchanged in receipts: the notice id.
      SessionContext: n.id,
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await post('tencent', endpoint.toString(), {
      headers: {
        authorization: tc3Authorization({ secretId: this.cfg.secretId, secretKey: this.cfg.secretKey, host, service: 'sms', timestamp, body }),
        'content-type': CONTENT_TYPE,
        'x-tc-action': 'SendSms',
        'x-tc-timestamp': String(timestamp),
        'x-tc-version': '2021-01-11',
        'x-tc-region': this.cfg.region ?? 'ap-guangzhou',
      },
      body,
    });
    const json = (await res.json().catch(() => ({}))) as { Response?: { Error?: { Code: string }; SendStatusSet?: { Code: string; SerialNo?: string }[] } };
    const r = json.Response;
    if (r?.Error) throw new ChannelError(`tencent ${r.Error.Code}`, PERMANENT.test(r.Error.Code));
    const st = r?.SendStatusSet?.[0];
    if (st?.Code === 'Ok') return { status: 'sent' as const, providerRef: `tencent:${st.SerialNo ?? n.id}` };
    if (st) throw new ChannelError(`tencent ${st.Code}`, !RETRY_SEND_CODES.test(st.Code));
    throw httpError('tencent', res.status);
  }
}
