// Child process for the SIGKILL test (crash.test.ts): appends to the access log as fast as it
// can — through the ingest store and through vault-style appends — and prints "ack <marker>"
// only after each transaction committed. The parent kills it with SIGKILL mid-stream.
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../db/database.ts';
import { setChainKey, appendEntries } from './append.ts';
import { SqliteEventStore } from '../events/sqlite/sqlite-event.store.ts';
import { PostgresEventStore } from '../events/postgres/postgres-event.store.ts';
import { EventNormalizer, isProblem, type NormalizedEvent } from '../events/events.normalize.ts';
import { FieldCipher, DerivedKeyRing } from '../vault/field-cipher.ts';

const [target, schema, name] = [process.env.CRASH_DB!, process.env.CRASH_SCHEMA || undefined, process.env.CRASH_NAME!];
const database = target.startsWith('postgres') ? openDatabase({ kind: 'postgres', url: target }, { schema }) : openDatabase({ kind: 'sqlite', path: target });
setChainKey(database, Buffer.from(process.env.CRASH_KEY!, 'hex'));
const store = database.dialect === 'sqlite' ? new SqliteEventStore(database) : new PostgresEventStore(database);
const normalizer = new EventNormalizer(new FieldCipher(new DerivedKeyRing(randomBytes(32))));

let n = 0;
for (;;) {
  n++;
  try {
    if (n % 2 === 0) {
      const batch: NormalizedEvent[] = [];
      for (let k = 0; k < 5; k++) {
        const e = normalizer.normalize(
          {
            id: `${name}-e${n}-${k}`,
            type: 'data.accessed',
            at: new Date().toISOString(),
            principalId: name,
            orderId: `o${n}`,
            fields: ['name'],
            channel: 'api',
          },
          Date.now(),
        );
        if (isProblem(e)) throw new Error(e.title);
        batch.push(e);
      }
      await store.apply(batch);
      process.stdout.write(batch.map((e) => `ack event ${e.id}\n`).join(''));
    } else {
      const marker = `${name}-v${n}`;
      await database.db
        .transaction()
        .execute((trx) =>
          appendEntries(trx, database, [
            { source: 'vault', principal_id: name, customer_id: 'c1', fields: 1, purpose: marker, channel: 'view', at: Date.now(), recorded_at: Date.now() },
          ]),
        );
      process.stdout.write(`ack purpose ${marker}\n`);
    }
  } catch (e) {
    // A busy database refuses an append; it was not acknowledged, so nothing is owed.
    process.stderr.write(`append refused: ${(e as Error).message}\n`);
  }
}
