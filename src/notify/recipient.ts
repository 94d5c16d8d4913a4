// The one place the notify area reads customer contact data. It decrypts only the column the
// channel needs, just before delivery; the values live in memory for one send and are never
// stored, logged or put in errors. (The vault area can route this read through its access log.)
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { FieldCipher } from '../vault/field-cipher.ts';
import type { Channel, Recipient } from './channels/channel.ts';
import { pickLang } from './templates.ts';

/** The customer a refund's order belongs to, once both have arrived. */
export async function customerOfOrder(db: Kysely<DB>, orderId: string): Promise<string | null> {
  const r = await db.selectFrom('orders').select('customer_id').where('id', '=', orderId).executeTakeFirst();
  return r?.customer_id ?? null;
}

export async function readRecipient(db: Kysely<DB>, cipher: FieldCipher, customerId: string, needs: Channel['needs'] | 'phone+email'): Promise<Recipient | null> {
  const c = await db.selectFrom('customers').select(['id', 'lang', 'phone_enc', 'email_enc']).where('id', '=', customerId).executeTakeFirst();
  if (!c) return null;
  const r: Recipient = { customerId, lang: pickLang(c.lang) };
  // The phone is also read for channels that do not send to it: it gives the customer's time zone.
  if (c.phone_enc) r.phone = cipher.decrypt(c.phone_enc, `customers/${customerId}/phone`);
  if ((needs === 'email' || needs === 'phone+email') && c.email_enc) r.email = cipher.decrypt(c.email_enc, `customers/${customerId}/email`);
  return r;
}
