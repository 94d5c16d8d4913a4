// Recipients for a delivery worker outside the application (the crash test's child process, the
// notify benchmark): the same vault gate and access-log append as in the app, built from the
// database and the master key alone. The chain key is derived from the master key, so every
// process of one test appends to the same chain.
import type { Database } from '../db/database.ts';
import { DerivedKeyRing, FieldCipher, deriveKey } from '../vault/field-cipher.ts';
import { SystemReader } from '../vault/system-reader.ts';
import { ShopService } from '../shop/shop.service.ts';
import { appendEntries, setChainKey } from '../audit/append.ts';
import { recipientSource, type RecipientSource } from './recipient.ts';

export function standaloneRecipients(database: Database, masterKey: Buffer): RecipientSource {
  setChainKey(database, deriveKey(masterKey, 'test/audit-chain'));
  const shop = new ShopService(database.db);
  const reader = new SystemReader({
    cipher: new FieldCipher(new DerivedKeyRing(masterKey)),
    shop,
    record: (entries) => database.db.transaction().execute((trx) => appendEntries(trx, database, entries)),
  });
  return recipientSource(shop, reader);
}
