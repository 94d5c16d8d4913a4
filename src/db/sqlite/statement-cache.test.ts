import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { CachedStatements } from './statement-cache.ts';

describe('sqlite statement cache', () => {
  it('reuses a statement per SQL text, gives a fresh one while a stream iterates it, and keeps only the most recent', () => {
    const raw = new BetterSqlite3(':memory:');
    const db = new CachedStatements(raw, 3);
    db.prepare('create table t (n integer)').run([]);
    const insert = db.prepare('insert into t values (?)');
    for (let i = 0; i < 5; i++) insert.run([i]);
    assert.equal(db.prepare('insert into t values (?)'), insert);
    const select = 'select n from t order by n';
    const it = db.prepare(select).iterate([]) as IterableIterator<{ n: number }>;
    assert.equal(it.next().value.n, 0);
    // the cached statement is busy with the open stream: a second use must not break it
    const other = db.prepare(select);
    assert.deepEqual(
      other.all([]),
      [0, 1, 2, 3, 4].map((n) => ({ n })),
    );
    assert.deepEqual(
      [...it].map((r) => r.n),
      [1, 2, 3, 4],
    );
    // after the stream, the cached one serves again
    assert.equal(db.prepare(select).all([]).length, 5);
    // bounded: the least recently used statement is dropped
    for (const n of [1, 2, 3]) db.prepare(`select ${n}`);
    assert.equal(db.held, 3);
    assert.notEqual(db.prepare('insert into t values (?)'), insert);
    db.close();
    assert.equal(raw.open, false);
  });

  it('sees schema changes made after a statement was cached', () => {
    const db = new CachedStatements(new BetterSqlite3(':memory:'));
    db.prepare('create table u (a integer)').run([]);
    db.prepare('insert into u values (1)').run([]);
    assert.deepEqual(db.prepare('select * from u').all([]), [{ a: 1 }]);
    db.prepare('alter table u add column b integer default 7').run([]);
    assert.deepEqual(db.prepare('select * from u').all([]), [{ a: 1, b: 7 }]);
    db.close();
  });
});
