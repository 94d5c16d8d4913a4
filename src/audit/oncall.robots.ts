// The on-call targets' wire formats: the group robots of DingTalk (钉钉), WeCom (企业微信) and
// Feishu (飞书) with their documented signing schemes, and a generic signed webhook. Each builder
// returns the URL and body to POST; the dispatcher (oncall.service.ts) sends them.
//
// - DingTalk custom robot, "加签": sign = base64(HMAC-SHA256(key = secret, message = timestamp +
//   "\n" + secret)), timestamp in milliseconds; both appended to the webhook URL, URL-encoded, as
//   &timestamp=…&sign=…. Body {msgtype: "markdown", markdown: {title, text}}.
// - Feishu custom bot, "签名校验": the string timestamp + "\n" + secret is the HMAC-SHA256 *key*
//   over an empty message, base64; timestamp in seconds; both go in the JSON body beside
//   {msg_type: "text", content: {text}}.
// - WeCom group robot: the key in the webhook URL (?key=…) is the only credential; no signature.
//   Body {msgtype: "markdown", markdown: {content}}. A robot takes at most 20 messages a minute,
//   one reason floods are digested.
// - Generic webhook: fanzha's own scheme (X-Fanzha-Timestamp, X-Fanzha-Signature v1=HMAC-SHA256
//   over "<timestamp>.<body>"), as for notices to the shop's backend.
import { createHmac } from 'node:crypto';
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../notify/channels/webhook-signature.ts';

export interface OnCallMessage {
  /** One line: what happened, with the severity. */
  title: string;
  /** Markdown body, free of personal data (principal ids and counts only). */
  text: string;
  /** Machine-readable facts for the generic webhook. */
  data: Record<string, unknown>;
}

export interface RobotRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

export function feishuSign(secret: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

const json = { 'content-type': 'application/json; charset=utf-8' };

export function dingtalkRequest(url: string, secret: string | undefined, m: OnCallMessage, nowMs: number): RobotRequest {
  let target = url;
  if (secret) {
    const u = new URL(url);
    u.searchParams.set('timestamp', String(nowMs));
    u.searchParams.set('sign', dingtalkSign(secret, nowMs));
    target = u.toString();
  }
  return { url: target, headers: json, body: JSON.stringify({ msgtype: 'markdown', markdown: { title: m.title, text: `### ${m.title}\n\n${m.text}` } }) };
}

export function feishuRequest(url: string, secret: string | undefined, m: OnCallMessage, nowMs: number): RobotRequest {
  const ts = Math.floor(nowMs / 1000);
  const signed = secret ? { timestamp: String(ts), sign: feishuSign(secret, ts) } : {};
  return { url, headers: json, body: JSON.stringify({ ...signed, msg_type: 'text', content: { text: `${m.title}\n${m.text}` } }) };
}

export function wecomRequest(url: string, m: OnCallMessage): RobotRequest {
  return { url, headers: json, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: `### ${m.title}\n${m.text}` } }) };
}

export function webhookRequest(url: string, secret: string, m: OnCallMessage, nowMs: number): RobotRequest {
  const ts = Math.floor(nowMs / 1000);
  const body = JSON.stringify({ title: m.title, text: m.text, ...m.data });
  return { url, headers: { ...json, [TIMESTAMP_HEADER]: String(ts), [SIGNATURE_HEADER]: signWebhook(secret, ts, body) }, body };
}

/**
 * Whether the provider accepted the message: the robots answer HTTP 200 with an error code in the
 * body (DingTalk and WeCom `errcode`, Feishu `code`), so the status alone is not enough.
 */
export function accepted(kind: string, status: number, body: string): boolean {
  if (status < 200 || status >= 300) return false;
  if (kind === 'webhook') return true;
  try {
    const r = JSON.parse(body) as { errcode?: number; code?: number; StatusCode?: number };
    return (r.errcode ?? r.code ?? r.StatusCode ?? 0) === 0;
  } catch {
    return false;
  }
}
