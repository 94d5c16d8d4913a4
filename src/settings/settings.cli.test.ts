// `fanzha settings …` end to end: commands run in-process (src/testing/cli.ts) over one database; what the CLI changes is what
// the services (and so the API and the notices) use, and the history names the CLI user.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../config/config.ts';
import { createContext, closeContext } from '../app/bootstrap.ts';
import { AREAS } from '../app/areas.ts';
import { createLogger } from '../http/logger.ts';
import { tempDir } from '../testing/dialects.ts';
import { fanzha } from '../testing/cli.ts';

describe('fanzha settings', () => {
  it('changes masking rules and notice texts, refuses bad ones, and lists the history', async () => {
    const dir = tempDir();
    const env = {
      FANZHA_DATA_DIR: dir,
      FANZHA_DB: `sqlite:${path.join(dir, 'f.db')}`,
      FANZHA_MASTER_KEY: randomBytes(32).toString('hex'),
      FANZHA_LOG_LEVEL: 'warn',
    };
    const run = (...args: string[]) => fanzha(['settings', ...args], env);
    const ok = async (...args: string[]) => {
      const r = await run(...args);
      assert.equal(r.status, 0, r.stderr);
      return r.stdout;
    };

    assert.match(await ok('masking', 'show'), /configuration defaults/);
    assert.match(await ok('masking', 'set', 'agent', 'phone', 'hide'), /agent now sees phone as "hide"/);
    assert.equal(JSON.parse(await ok('masking', 'show', '--json')).roles.agent.phone, 'hide');
    const bad = await run('masking', 'set', 'agent', 'phone', 'region');
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /unknown view "region"/);

    const text = path.join(dir, 'notice.txt');
    writeFileSync(text, '【{shop}】订单{orderId}已申请退款。客服不会来电让您重新办理退款，也不会发链接。');
    assert.match(
      await ok('templates', 'set', 'refund.requested', 'zh-CN', '--subject', '【{shop}】退款提醒', '--text-file', text),
      /stored; with sample values/,
    );
    const unknownVar = await run('templates', 'set', 'refund.requested', 'zh-CN', '--subject', '【{shop}】退款提醒', '--text', '【{shop}】{cardNumber}');
    assert.notEqual(unknownVar.status, 0);
    assert.match(unknownVar.stderr, /cardNumber/);
    assert.match(await ok('templates', 'list'), /refund\.requested\s+zh-CN\s+overridden/);

    // what the services use now: the agent's view and the notice text
    const ctx = await createContext(loadConfig(env), { areas: AREAS, logger: createLogger('warn', new Writable({ write: (_c, _e, cb) => cb() })) });
    try {
      assert.equal((await ctx.services.masking.roles()).agent.phone, 'hide');
      const rendered = await ctx.services.notify.templates.render('refund.requested', 'zh-CN', { orderId: 'E1001' });
      assert.match(rendered.text, /订单E1001已申请退款/);
    } finally {
      await closeContext(ctx);
    }

    assert.match(await ok('templates', 'reset', 'refund.requested', 'zh-CN'), /built-in text is in force/);
    assert.match(await ok('masking', 'reset'), /reset to the configuration/);
    const history = await ok('changes');
    assert.equal(history.trim().split('\n').length, 4);
    assert.match(history, /vault\.masking\s+by fanzha CLI \(cli:/);
    assert.match(history, /notify\.template\.refund\.requested\.zh-CN/);
  });
});
