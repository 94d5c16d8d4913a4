// Spoken check phrases: two different common words (not digits, so nobody confuses a phrase with
// an SMS code and nobody is trained to read digits to a caller). The staff member says the phrase;
// the customer compares it with the card in the shop's app and never has to say anything.
import { randomInt } from 'node:crypto';
import { ZH_WORDS, EN_WORDS } from './phrase-words.ts';

export function newPhrase(lang: 'zh-CN' | 'en'): string {
  const words: readonly string[] = lang === 'en' ? EN_WORDS : ZH_WORDS;
  const a = randomInt(words.length);
  let b = randomInt(words.length - 1);
  if (b >= a) b++;
  return `${words[a]} ${words[b]}`;
}
