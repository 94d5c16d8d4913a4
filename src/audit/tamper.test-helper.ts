// The tampering property shared by the single-chain and the sharded access-log tests: a database
// administrator (no master key) edits, deletes, inserts, swaps or truncates one entry of one
// shard — or moves it to another shard — and verification must name that shard and position.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { TestApp } from '../testing/test-app.ts';
import { CHAIN_COLUMNS, genesisHash } from './chain.ts';

type Entry = Record<string, unknown> & { shard: number; pos: number; hash: string };

// every hashed column but the position (which decides where an entry is, not what it says)
const EDITABLE = CHAIN_COLUMNS.filter((c) => c !== 'pos');

export async function assertEveryTamperingDetected(t: TestApp, runs: number) {
  const db = t.database.db;
  await t.ctx.services.audit.checkpoint();
  const snapshot = (await db.selectFrom('access_log').selectAll().orderBy('shard').orderBy('pos').execute()) as unknown as Entry[];
  const heads = await db.selectFrom('audit_head').selectAll().execute();
  const sizes = new Map(heads.map((h) => [Number(h.id) - 1, Number(h.size)]));
  const shards = [...sizes.keys()].sort((a, b) => a - b);
  const n = snapshot.length;
  // Undoing a tampering rewrites only the rows it can have touched: each changed shard from the
  // first changed position on (a tampering never reaches below the entry it targets), then the heads.
  // The whole table is compared with the snapshot once at the end, so a restore that missed a row
  // cannot pass unnoticed.
  const restore = async (from: Map<number, number>) => {
    // every delete before any insert: a moved entry sits in another shard than its snapshot row
    for (const [shard, pos] of from) await sql`DELETE FROM access_log WHERE shard = ${shard} AND (pos >= ${pos} OR pos < 0)`.execute(db);
    const rows = snapshot.filter((r) => from.has(r.shard) && r.pos >= from.get(r.shard)!);
    for (let i = 0; i < rows.length; i += 1000)
      await db
        .insertInto('access_log')
        .values(rows.slice(i, i + 1000) as never)
        .execute();
    for (const h of heads) await db.updateTable('audit_head').set({ size: h.size, hash: h.hash }).where('id', '=', h.id).execute();
  };
  const shiftFrom = async (shard: number, i: number, by: number) => {
    // Two steps so the unique (shard, pos) index never sees a transient duplicate.
    await sql`UPDATE access_log SET pos = pos + 1000000 WHERE shard = ${shard} AND pos >= ${i}`.execute(db);
    await sql`UPDATE access_log SET pos = pos - 1000000 + ${by} WHERE shard = ${shard} AND pos >= 1000000`.execute(db);
  };
  const at = (k: number) => snapshot[k]!;
  const tampering = fc.oneof(
    fc.record({ kind: fc.constant('edit' as const), k: fc.nat(n - 1), column: fc.constantFrom(...EDITABLE) }),
    fc.record({ kind: fc.constant('delete' as const), k: fc.nat(n - 1), renumber: fc.boolean() }),
    fc.record({ kind: fc.constant('insert' as const), k: fc.nat(n - 1), after: fc.boolean(), moveHead: fc.boolean() }),
    fc.record({ kind: fc.constant('swap' as const), k: fc.nat(n - 2), byPosition: fc.boolean() }),
    fc.record({ kind: fc.constant('truncate' as const), k: fc.nat(n - 1), rewindHead: fc.boolean() }),
    fc.record({ kind: fc.constant('move' as const), k: fc.nat(n - 1), to: fc.constantFrom(...shards) }),
  );
  const seen: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(tampering, async (tm) => {
      const row = at(tm.k);
      const s = row.shard;
      let expect = { shard: s, position: row.pos };
      const touched = new Map([[s, row.pos]]);
      const where = sql`shard = ${s} AND pos = ${row.pos}`;
      switch (tm.kind) {
        case 'edit': {
          const old = row[tm.column];
          const value = typeof old === 'number' ? old + 1 : tm.column === 'hash' ? randomBytes(32).toString('hex') : old === null ? 'x' : `${old}x`;
          await sql`UPDATE access_log SET ${sql.ref(tm.column)} = ${value} WHERE ${where}`.execute(db);
          break;
        }
        case 'delete':
          await sql`DELETE FROM access_log WHERE ${where}`.execute(db);
          if (tm.renumber) await shiftFrom(s, row.pos + 1, -1);
          break;
        case 'insert': {
          // before this entry, or after the last entry of its shard
          const size = sizes.get(s)!;
          const i = tm.after ? size : row.pos;
          if (!tm.after) await shiftFrom(s, i, 1);
          const fake = { ...row, principal_id: 'p-innocent', event_id: 'forged', pos: i, hash: randomBytes(32).toString('hex') } as Record<string, unknown>;
          delete fake.seq;
          await db
            .insertInto('access_log')
            .values(fake as never)
            .execute();
          if (tm.moveHead)
            await db
              .updateTable('audit_head')
              .set({ size: size + 1 })
              .where('id', '=', s + 1)
              .execute();
          expect = { shard: s, position: i };
          touched.set(s, i);
          break;
        }
        case 'swap': {
          const next = at(tm.k + 1);
          if (next.shard !== s) return; // the two rows are in different shards: covered by 'move'
          if (tm.byPosition) {
            await sql`UPDATE access_log SET pos = -1 WHERE ${where}`.execute(db);
            await sql`UPDATE access_log SET pos = ${row.pos} WHERE shard = ${s} AND pos = ${next.pos}`.execute(db);
            await sql`UPDATE access_log SET pos = ${next.pos} WHERE shard = ${s} AND pos = -1`.execute(db);
          } else {
            await sql`DELETE FROM access_log WHERE shard = ${s} AND pos IN (${row.pos}, ${next.pos})`.execute(db);
            const a = { ...next, pos: row.pos } as Record<string, unknown>;
            const b = { ...row, pos: next.pos } as Record<string, unknown>;
            await db
              .insertInto('access_log')
              .values([a, b] as never)
              .execute();
          }
          break;
        }
        case 'truncate':
          await sql`DELETE FROM access_log WHERE shard = ${s} AND pos >= ${row.pos}`.execute(db);
          if (tm.rewindHead) {
            const prev = snapshot.find((r) => r.shard === s && r.pos === row.pos - 1);
            await db
              .updateTable('audit_head')
              .set({ size: row.pos, hash: prev ? prev.hash : await startOf(t, s) })
              .where('id', '=', s + 1)
              .execute();
          }
          break;
        case 'move': {
          // relabel the shard's last entry into another shard, appended after that shard's last
          // entry with the heads moved to match: the hash (keyed from a shard's own start) must not fit
          if (tm.to === s) return;
          const size = sizes.get(s)!;
          const last = snapshot.find((r) => r.shard === s && r.pos === size - 1)!;
          const target = sizes.get(tm.to)!;
          await sql`UPDATE access_log SET shard = ${tm.to}, pos = ${target} WHERE shard = ${s} AND pos = ${size - 1}`.execute(db);
          const prev = snapshot.find((r) => r.shard === s && r.pos === size - 2);
          await db
            .updateTable('audit_head')
            .set({ size: size - 1, hash: prev ? prev.hash : await startOf(t, s) })
            .where('id', '=', s + 1)
            .execute();
          await db
            .updateTable('audit_head')
            .set({ size: target + 1, hash: last.hash })
            .where('id', '=', tm.to + 1)
            .execute();
          // the first shard in order that no longer verifies: the source (against the checkpoint) or the target
          expect = s < tm.to ? { shard: s, position: size - 1 } : { shard: tm.to, position: target };
          touched.set(s, size - 1).set(tm.to, target);
          break;
        }
      }
      seen[tm.kind] = (seen[tm.kind] ?? 0) + 1;
      const r = await t.ctx.services.audit.verify();
      await restore(touched);
      assert.equal(r.intact, false, `${JSON.stringify(tm)} went undetected`);
      const got = r as { shard: number; position: number };
      assert.deepEqual({ shard: got.shard, position: got.position }, expect, `${JSON.stringify(tm)}: ${JSON.stringify(r)}`);
    }),
    { numRuns: runs },
  );
  assert.ok(Object.keys(seen).length >= 5, JSON.stringify(seen));
  const after = (await db.selectFrom('access_log').selectAll().orderBy('shard').orderBy('pos').execute()) as unknown as Entry[];
  assert.deepEqual(after, snapshot, 'every tampering was undone');
  assert.equal((await t.ctx.services.audit.verify()).intact, true);
  return seen;
}

/** What an empty shard's head row holds (an administrator could copy it from a fresh install). */
async function startOf(t: TestApp, shard: number): Promise<string> {
  return genesisHash(await t.ctx.services.keyRing.secret('audit-chain'), shard);
}
