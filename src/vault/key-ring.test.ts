import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testDialects } from '../testing/dialects.ts';
import { EnvelopeKeyRing } from './key-ring.ts';
import { LocalKeyProvider, KeyUnwrapError } from './key-provider.ts';
import { FieldCipher, DerivedKeyRing } from './field-cipher.ts';

for (const dialect of testDialects()) {
  describe(`envelope key ring on ${dialect.name}`, () => {
    it('shares keys between nodes, keeps foundation ciphertexts readable and survives master rotation', async () => {
      const database = await dialect.open();
      try {
        const master = randomBytes(32);
        // Data sealed by the foundation's derived key ring before the envelope ring existed.
        const legacy = new FieldCipher(new DerivedKeyRing(master)).encrypt('刘小明', 'customers/c1/name');
        const legacyIndex = new FieldCipher(new DerivedKeyRing(master)).blindIndex('phone', '+8613812345678');
        const [a, b] = await Promise.all([
          EnvelopeKeyRing.open(database.db, new LocalKeyProvider(master), master),
          EnvelopeKeyRing.open(database.db, new LocalKeyProvider(master), master),
        ]);
        const ca = new FieldCipher(a);
        const cb = new FieldCipher(b);
        assert.equal(ca.decrypt(legacy, 'customers/c1/name'), '刘小明');
        assert.equal(ca.blindIndex('phone', '+8613812345678'), legacyIndex);
        // Node A rotates; node B learns the new key when it meets it.
        const id = await a.rotateDataKey();
        const sealed = ca.encrypt('new value', 'customers/c2/name');
        assert.equal(FieldCipher.keyIdOf(sealed), id);
        assert.throws(() => cb.decrypt(sealed, 'customers/c2/name'));
        await b.ensure(FieldCipher.keyIdOf(sealed));
        assert.equal(cb.decrypt(sealed, 'customers/c2/name'), 'new value');
        assert.equal(cb.blindIndex('phone', '+8613812345678'), legacyIndex, 'blind index stable across rotation');
        // Master rotation: the old master no longer opens the ring, the new one does, data unchanged.
        const next = randomBytes(32);
        await a.rotateMaster(new LocalKeyProvider(next));
        await assert.rejects(EnvelopeKeyRing.open(database.db, new LocalKeyProvider(master)), KeyUnwrapError);
        const c = new FieldCipher(await EnvelopeKeyRing.open(database.db, new LocalKeyProvider(next)));
        assert.equal(c.decrypt(legacy, 'customers/c1/name'), '刘小明');
        assert.equal(c.decrypt(sealed, 'customers/c2/name'), 'new value');
        assert.equal(c.blindIndex('phone', '+8613812345678'), legacyIndex);
        // Node B, still running with unwrapped keys, keeps serving after the master rotation.
        await b.reload();
        assert.equal(cb.decrypt(sealed, 'customers/c2/name'), 'new value');
      } finally {
        await database.close();
      }
    });
  });
}
