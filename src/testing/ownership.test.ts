// The owner/gate rule (ARCHITECTURE.md, "Owners and the gate"): every table is read and written
// only by its owning area (src/db/owners.ts), and personal data is decrypted only in src/vault.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { checkSource, checkTree, productionSources } from './ownership.ts';
import { TABLE_OWNERS } from '../db/owners.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('table owners and the vault gate', () => {
  it("no production file outside a table's owner touches it, and none outside src/vault decrypts", () => {
    const files = productionSources(root);
    assert.ok(files.length > 100, `scanned ${files.length} files`);
    const found = checkTree(root);
    assert.deepEqual(
      found.map((v) => `${v.file}:${v.line} ${v.what}`),
      [],
    );
  });

  it('recognises every way of touching a table and of decrypting (the check can fail)', () => {
    const cases: [string, string][] = [
      ["db.selectFrom('customers').selectAll()", 'customers'],
      ["trx.insertInto('access_log').values(r)", 'access_log'],
      ["db.updateTable('orders').set(x)", 'orders'],
      ["db.deleteFrom('refunds')", 'refunds'],
      [".innerJoin('principals as p', 'p.id', 'a.principal_id')", 'principals'],
      [".leftJoin('logins', (j) => j)", 'logins'],
      ['sql`SELECT count(*) FROM exports WHERE id = ${id}`', 'exports'],
      ["raw.prepare('UPDATE access_log SET pos = ?')", 'access_log'],
      ["sql`INSERT INTO ${sql.table('customers')} VALUES (1)`", 'customers'],
      ['sql`SELECT a.x FROM t a JOIN orders o ON o.id = a.order_id`', 'orders'],
    ];
    for (const [code, table] of cases) {
      const v = checkSource('src/notify/x.ts', code);
      assert.equal(v.length, 1, code);
      assert.match(v[0]!.what, new RegExp(`touches ${table} \\(owned by ${TABLE_OWNERS[table as keyof typeof TABLE_OWNERS]}\\)`));
      assert.deepEqual(checkSource(`src/${TABLE_OWNERS[table as keyof typeof TABLE_OWNERS]}/x.ts`, code), [], `the owner may: ${code}`);
    }
    assert.equal(checkSource('src/canaries/x.ts', 'const name = this.cipher.decrypt(row.name_enc, aad);').length, 1);
    assert.deepEqual(checkSource('src/vault/x.ts', 'const name = this.cipher.decrypt(row.name_enc, aad);'), []);
    // Comments and prose are not code.
    assert.deepEqual(checkSource('src/notify/x.ts', "// reads FROM customers\n/* db.selectFrom('orders') */\nconst s = 'read from orders';"), []);
  });
});
