// Where the notify area gets a notice's recipient. Contact data is never decrypted here: the
// vault's gate opens only what the channel needs, after appending one access entry per read
// (principal system:notify, purpose notice:<template>); if the entries cannot be appended,
// nothing is opened and the notices wait. The values live in memory for one round and are never
// stored, logged or put in errors.
import type { Channel, Recipient } from './channels/channel.ts';
import { pickLang } from './templates.ts';
import { FIELD_BIT } from '../lib/fields.ts';
import type { ShopService } from '../shop/shop.service.ts';
import type { ClearFields, SystemReader } from '../vault/system-reader.ts';

/** The principal the access log names for reads of contact data made to deliver notices. */
export const NOTIFY_PRINCIPAL = 'system:notify';

/** One read of a customer's contact data for a notice. */
export interface RecipientRead {
  customerId: string;
  needs: Channel['needs'];
  template: string;
}

/** A customer's non-personal attributes: language, and canary (fanzha never contacts canaries). */
export interface RecipientFlags {
  lang: string | null;
  canary: boolean;
  /** Which contact data the shop holds (routing picks a channel the customer can be reached by). */
  hasPhone?: boolean;
  hasEmail?: boolean;
}

export interface RecipientSource {
  /** The customer a refund's order belongs to, once both have arrived. */
  customerOfOrder(orderId: string): Promise<string | null>;
  flags(customerIds: readonly string[]): Promise<Map<string, RecipientFlags>>;
  /** Contact data for these reads (stored customers only); throws when the reads cannot be recorded. */
  read(reads: readonly RecipientRead[]): Promise<Map<string, ClearFields>>;
}

/** The phone is always read: it gives the customer's time zone for quiet hours. */
export function fieldsFor(needs: Channel['needs']): number {
  return FIELD_BIT.phone | (needs === 'email' ? FIELD_BIT.email : 0);
}

/** Recipients from the shop's rows, opened by the vault's gate. */
export function recipientSource(shop: ShopService, vault: Pick<SystemReader, 'readForSystem'>): RecipientSource {
  return {
    customerOfOrder: (orderId) => shop.customerOfOrder(orderId),
    flags: (ids) => shop.customerFlags(ids),
    read: (reads) =>
      vault.readForSystem(
        NOTIFY_PRINCIPAL,
        reads.map((r) => ({ ids: [r.customerId], fields: fieldsFor(r.needs), purpose: `notice:${r.template}` })),
        { channel: 'batch' },
      ),
  };
}

/** The recipient of one notice: only the contact the channel needs. */
export function toRecipient(customerId: string, flags: RecipientFlags, clear: ClearFields, needs: Channel['needs']): Recipient {
  const r: Recipient = { customerId, lang: pickLang(flags.lang) };
  if (clear.phone) r.phone = clear.phone;
  if (needs === 'email' && clear.email) r.email = clear.email;
  return r;
}
