// Regression (issue #21 item 7): a key revoked on one node stops working on every other node at
// once (containment depends on it), not after the other node's cache expires.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { ApiKeysRepository } from './apikeys.repository.ts';
import { ApiKeysService } from './apikeys.service.ts';

for (const dialect of testDialects()) {
  describe(`key revocation across nodes on ${dialect.name}`, () => {
    it('two services over one database: a revocation on A refuses the key on B at the next request', async () => {
      const database = await dialect.open();
      try {
        const a = new ApiKeysService(new ApiKeysRepository(database.db));
        const b = new ApiKeysService(new ApiKeysRepository(database.db));
        const { key, info } = await a.create({ role: 'agent', principalId: 'staff-1' });
        const other = await a.create({ role: 'agent' });
        assert.equal((await b.authenticate(key))?.keyId, info.id); // cached on B now
        assert.ok(await a.revoke(info.id));
        assert.equal(await b.authenticate(key), null);
        assert.equal((await b.authenticate(other.key))?.keyId, other.info.id);
        await a.revokePrincipal('nobody');
        const { key: k2, info: i2 } = await a.create({ role: 'ingest', principalId: 'partner-9' });
        assert.equal((await b.authenticate(k2))?.keyId, i2.id);
        assert.equal(await a.revokePrincipal('partner-9'), 1);
        assert.equal(await b.authenticate(k2), null);
      } finally {
        await database.close();
      }
    });

    it('concurrent requests share a version read that started after they arrived', async () => {
      const database = await dialect.open();
      try {
        const repo = new ApiKeysRepository(database.db);
        let reads = 0;
        const read = repo.revocationVersion.bind(repo);
        repo.revocationVersion = () => (reads++, read());
        const a = new ApiKeysService(new ApiKeysRepository(database.db));
        const b = new ApiKeysService(repo);
        const { key, info } = await a.create({ role: 'ingest' });
        const ok = await Promise.all(Array.from({ length: 16 }, () => b.authenticate(key)));
        assert.ok(ok.every((c) => c?.keyId === info.id));
        assert.ok(reads <= 2, `${reads} version reads for 16 concurrent requests`);
        // A revocation committed while a read is in flight is seen by every request that arrives after it.
        const inFlight = b.authenticate(key);
        assert.ok(await a.revoke(info.id));
        const after = await Promise.all(Array.from({ length: 4 }, () => b.authenticate(key)));
        await inFlight; // started before the revocation: either answer is right
        assert.deepEqual(after, [null, null, null, null]);
      } finally {
        await database.close();
      }
    });
  });
}
