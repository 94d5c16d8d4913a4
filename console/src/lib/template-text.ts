// Editing notice texts: the {variables} a text uses, which of them the template lacks, inserting a
// variable at the caret, and how many SMS parts a rendered text takes. The server checks again.

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The variables a text uses, each once, in order of appearance. */
export function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!))];
}

/** Variables the text uses that the template does not have. */
export function unknownVariables(text: string, allowed: readonly string[]): string[] {
  return placeholders(text).filter((v) => !allowed.includes(v));
}

/** A brace outside a well-formed {variable} (e.g. "{orderId" or "}"). */
export function strayBrace(text: string): boolean {
  return /[{}]/.test(text.replace(PLACEHOLDER, ''));
}

/** Replaces the selection [start, end) with `{name}`; returns the new value and caret position. */
export function insertVariable(value: string, start: number, end: number, name: string): { value: string; caret: number } {
  const token = `{${name}}`;
  const a = Math.max(0, Math.min(start, value.length));
  const b = Math.max(a, Math.min(end, value.length));
  return { value: value.slice(0, a) + token + value.slice(b), caret: a + token.length };
}

// The GSM 7-bit default alphabet (and its extension table, which costs two septets).
const GSM = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXT = '^{}\\[~]|€\f';

/**
 * SMS parts a text takes: GSM 7-bit texts fit 160 septets (153 per part when split); anything
 * else (Chinese) is UCS-2 with 70 characters (67 per part, surrogate pairs count two).
 */
export function smsParts(text: string): { encoding: 'gsm' | 'ucs2'; units: number; parts: number } {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM.includes(ch)) septets += 1;
    else if (GSM_EXT.includes(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'gsm', units: septets, parts: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length; // UTF-16 code units: what UCS-2 counts
  return { encoding: 'ucs2', units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}
