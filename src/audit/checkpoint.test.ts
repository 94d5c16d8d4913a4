import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../testing/dialects.ts';
import { createTestApp } from '../testing/test-app.ts';

for (const dialect of testDialects()) {
  describe(`automatic checkpoints on ${dialect.name}`, () => {
    it('signs a checkpoint every N entries or T seconds with growth, never twice for one size', async () => {
      const t = await createTestApp(dialect, { areas: { audit: { checkpointEveryEntries: 5, checkpointEverySeconds: 3600 } } });
      try {
        const audit = t.ctx.services.audit;
        const ingest = (from: number, n: number) =>
          t.app.inject({
            method: 'POST',
            url: '/v1/events',
            headers: t.auth('ingest'),
            payload: Array.from({ length: n }, (_, i) => ({
              id: `a${from + i}`,
              type: 'data.accessed',
              at: '2026-07-14T10:00:00+08:00',
              principalId: 'p1',
              orderId: `o${from + i}`,
              fields: ['name'],
              channel: 'api',
            })),
          });
        await ingest(0, 3);
        assert.equal(await audit.maybeCheckpoint(), null, 'fewer than N new entries and within T');
        await ingest(3, 3);
        const cp = await audit.maybeCheckpoint();
        assert.equal(cp?.size, 6);
        assert.equal(await audit.maybeCheckpoint(), null, 'no growth, no new checkpoint');
        await ingest(6, 1);
        assert.equal((await audit.maybeCheckpoint(Date.now() + 3_600_001))?.size, 7, 'T seconds passed with growth');
        const r = await audit.verify();
        assert.equal(r.intact, true);
        assert.equal((r as { checkpointsChecked: number }).checkpointsChecked, 2);
        // A forged row in the checkpoint table (no valid signature) is ignored, not trusted.
        await t.database.db
          .insertInto('audit_checkpoints')
          .values({ size: 99, hash: '00'.repeat(32), note: 'forged\n99\nAAAA\n\n— x AAAA\n', key_name: 'x', created_at: 0 })
          .execute();
        const r2 = await audit.verify();
        assert.equal(r2.intact, true);
        assert.equal(r2.checkpointsRejected, 1);
      } finally {
        await t.close();
      }
    });
  });
}
