// The one place the notify area reads customer contact data. It decrypts only what the channel
// needs, just before delivery; the values live in memory for one send and are never stored,
// logged or put in errors. (The vault area can route `decryptRecipient` through its access log.)
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { Channel, Recipient } from './channels/channel.ts';
import { pickLang } from './templates.ts';

export interface CustomerContactRow {
  id: string;
  lang: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  /** 1 for canary customers: fanzha never contacts them (a message would use up the canary). */
  canary: number;
}

/** The customer a refund's order belongs to, once both have arrived. */
export async function customerOfOrder(db: Kysely<DB>, orderId: string): Promise<string | null> {
  const r = await db.selectFrom('orders').select('customer_id').where('id', '=', orderId).executeTakeFirst();
  return r?.customer_id ?? null;
}

/** Sealed contact rows for a batch of customers (one query per worker round). */
export async function loadContactRows(db: Kysely<DB>, ids: readonly string[]): Promise<Map<string, CustomerContactRow>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('customers').select(['id', 'lang', 'phone_enc', 'email_enc', 'canary']).where('id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export function decryptRecipient(cipher: FieldCipher, c: CustomerContactRow, needs: Channel['needs']): Recipient {
  const r: Recipient = { customerId: c.id, lang: pickLang(c.lang) };
  // The phone is also read for channels that do not send to it: it gives the customer's time zone.
  if (c.phone_enc) r.phone = cipher.decrypt(c.phone_enc, `customers/${c.id}/phone`);
  if (needs === 'email' && c.email_enc) r.email = cipher.decrypt(c.email_enc, `customers/${c.id}/email`);
  return r;
}

export async function readRecipient(db: Kysely<DB>, cipher: FieldCipher, customerId: string, needs: Channel['needs']): Promise<Recipient | null> {
  const c = (await loadContactRows(db, [customerId])).get(customerId);
  return c ? decryptRecipient(cipher, c, needs) : null;
}
