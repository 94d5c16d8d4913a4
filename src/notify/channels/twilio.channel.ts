// Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP
// Basic auth (AccountSid:AuthToken) and a form-encoded body (To, From or MessagingServiceSid, Body,
// StatusCallback). Status callbacks are signed with X-Twilio-Signature (see twilioSignature).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel, OutgoingNotice, Recipient } from './channel.ts';
import { ChannelError, httpError, post } from './channel.ts';
import type { TwilioSmsConfig } from '../notify.config.ts';
import { assertSmsSafe } from '../templates.ts';

/** X-Twilio-Signature: Base64(HMAC-SHA1(AuthToken, full URL + each POST param name+value, sorted by name)). */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((k) => k + params[k])
      .join('');
  return createHmac('sha1', authToken).update(data).digest('base64');
}

export function verifyTwilioSignature(authToken: string, url: string, params: Record<string, string>, header: string | undefined): boolean {
  if (!header) return false;
  const a = Buffer.from(twilioSignature(authToken, url, params));
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}

// Twilio error codes that cannot succeed on retry: invalid / unreachable / opted-out numbers.
const PERMANENT_CODES = new Set([21211, 21408, 21606, 21610, 21612, 21614, 21617]);

export class TwilioSmsChannel implements Channel {
  readonly name = 'twilio';
  readonly needs = 'phone' as const;
  constructor(
    private readonly cfg: TwilioSmsConfig,
    private readonly officialDomain: string,
  ) {}

  async deliver(n: OutgoingNotice, to: Recipient) {
    if (!to.phone) throw new ChannelError('twilio: the customer has no phone number', true);
    try {
      assertSmsSafe(n.text, this.officialDomain);
    } catch (e) {
      throw new ChannelError((e as Error).message, true);
    }
    const form = new URLSearchParams({ To: to.phone, Body: n.text });
    if (this.cfg.messagingServiceSid) form.set('MessagingServiceSid', this.cfg.messagingServiceSid);
    else form.set('From', this.cfg.from ?? '');
    if (this.cfg.statusCallback) form.set('StatusCallback', this.cfg.statusCallback);
    const base = (this.cfg.endpoint ?? 'https://api.twilio.com').replace(/\/$/, '');
    const res = await post('twilio', `${base}/2010-04-01/Accounts/${encodeURIComponent(this.cfg.accountSid)}/Messages.json`, {
      headers: {
        authorization: 'Basic ' + Buffer.from(`${this.cfg.accountSid}:${this.cfg.authToken}`).toString('base64'),
        'content-type': 'application/x-www-form-urlencoded',
        // Twilio's Messages API takes no idempotency key (a crash between its answer and our
        // record can send one SMS twice); a relay in front of it can drop repeats by this header.
        'x-fanzha-idempotency-key': n.idempotencyKey,
      },
      body: form.toString(),
    });
    const json = (await res.json().catch(() => ({}))) as { sid?: string; code?: number };
    if (res.ok && json.sid) return { status: 'sent' as const, providerRef: `twilio:${json.sid}` };
    if (json.code && PERMANENT_CODES.has(json.code)) throw new ChannelError(`twilio ${json.code}`, true);
    throw httpError('twilio', res.status, json.code ? String(json.code) : '');
  }
}
