// Works out what a customer pasted into the checker: a link, a phone number, or an SMS sender
// (a signature such as 【某某商城】 or a short code / alphanumeric sender id).
export type InputKind = 'link' | 'phone' | 'sender';

export function detectKind(raw: string): InputKind {
  const s = raw.trim();
  if (/^https?:\/\//i.test(s) || /^[\w-]+(\.[\w-]+)+(\/|$)/.test(s) || /^www\./i.test(s)) return 'link';
  if (/^[【[].+[】\]]$/.test(s)) return 'sender';
  const digits = s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/[\s\-()（）+]/g, '');
  if (/^\d{7,15}$/.test(digits) && !/^10(6\d{2,18}|\d{3})$/.test(digits)) return 'phone';
  return 'sender';
}

/** For the check endpoint a sender is sent without its brackets. */
export function normaliseSender(raw: string): string {
  return raw.trim().replace(/^[【[]|[】\]]$/g, '');
}

/** A link without a scheme gets https:// so the server can parse it. */
export function normaliseLink(raw: string): string {
  const s = raw.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : `https://${s}`;
}
