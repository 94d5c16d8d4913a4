// Regression (issue #21 item 6): the database files and a new data folder are private to the service user.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { openSqlite } from './connect.ts';
import { tempDir } from '../../testing/dialects.ts';

it('creates the data folder 0700 and the database, WAL and SHM files 0600; tightens an open file', () => {
  const dir = path.join(tempDir(), 'data');
  const file = path.join(dir, 'fanzha.db');
  const { raw } = openSqlite(file);
  raw.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
  raw.close();
  const other = path.join(tempDir(), 'old', 'x.db');
  mkdirSync(path.dirname(other));
  writeFileSync(other, '');
  chmodSync(other, 0o644);
  openSqlite(other).raw.close();
  assert.equal(statSync(other).mode & 0o777, 0o600);
});
