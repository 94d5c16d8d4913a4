import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, ConfigError, checkAreas } from './config.ts';
import { notifyConfig } from '../notify/notify.config.ts';
import { resolveMasterKey, parseMasterKey } from './master-key.ts';
import { tempDir } from '../testing/dialects.ts';

describe('configuration', () => {
  it('defaults to SQLite under ./data and port 8080', () => {
    const c = loadConfig({});
    assert.equal(c.db.kind, 'sqlite');
    assert.ok(c.db.kind === 'sqlite' && c.db.path.endsWith(path.join('data', 'fanzha.db')));
    assert.equal(c.port, 8080);
    assert.equal(c.redisUrl, undefined);
  });

  it('reads FANZHA_DB, FANZHA_PORT, FANZHA_REDIS and refuses malformed values', () => {
    const c = loadConfig({ FANZHA_DB: 'postgres://u@127.0.0.1:5432/fanzha', FANZHA_PORT: '9000', FANZHA_REDIS: 'redis://127.0.0.1:6379' });
    assert.deepEqual(c.db, { kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/fanzha' });
    assert.equal(c.port, 9000);
    assert.equal(c.redisUrl, 'redis://127.0.0.1:6379');
    assert.throws(() => loadConfig({ FANZHA_DB: 'mysql://x' }), ConfigError);
    assert.throws(() => loadConfig({ FANZHA_PORT: 'eighty' }), ConfigError);
    assert.throws(() => loadConfig({ FANZHA_REDIS: 'localhost:6379' }), ConfigError);
  });

  it('reads an optional JSON file, with the environment taking precedence', () => {
    const dir = tempDir();
    const file = path.join(dir, 'fanzha.json');
    writeFileSync(file, JSON.stringify({ port: 7000, db: 'sqlite:/tmp/x.db', areas: { settings: { cacheMs: 3 } } }));
    const c = loadConfig({ FANZHA_CONFIG: file, FANZHA_PORT: '7001' });
    assert.equal(c.port, 7001);
    assert.deepEqual(c.db, { kind: 'sqlite', path: '/tmp/x.db' });
    assert.deepEqual(c.areas, { settings: { cacheMs: 3 } });
    writeFileSync(file, '{nope');
    assert.throws(() => loadConfig({ FANZHA_CONFIG: file }), /not valid JSON/);
  });
});

describe('configuration schema', () => {
  const withFile = (content: unknown, env: Record<string, string> = {}) => {
    const file = path.join(tempDir(), 'fanzha.json');
    writeFileSync(file, JSON.stringify(content));
    return () => loadConfig({ FANZHA_CONFIG: file, ...env });
  };
  const fails = (load: () => unknown, ...patterns: RegExp[]) =>
    assert.throws(load, (e: Error) => {
      assert.ok(e instanceof ConfigError, String(e));
      for (const p of patterns) assert.match(e.message, p);
      return true;
    });

  it('stops on an unknown key, naming it and the keys expected there', () => {
    fails(withFile({ areas: { notify: { shopname: '示例商城' } } }), /unknown key "areas\.notify\.shopname" \(expected one of: shopName, /);
    fails(withFile({ prot: 8080 }), /unknown key "prot" \(expected one of: dataDir, db, /);
    fails(withFile({ areas: { notfy: {} } }), /unknown key "areas\.notfy"/);
  });

  it('stops on a wrong shape, naming the key and the shape expected', () => {
    fails(withFile({ areas: { notify: { maxAttempts: 'eight' } } }), /"areas\.notify\.maxAttempts" is "eight": expected a whole number/);
    fails(
      withFile({ areas: { notify: { shopName: { 'zh-CN': 3 } } } }),
      /"areas\.notify\.shopName" is \{"zh-CN":3\}: expected a string \(used for every language\) or a per-language map/,
    );
    fails(
      withFile({ areas: { audit: { oncall: { targets: [{ kind: 'slack', url: 'https://x' }] } } } }),
      /"areas\.audit\.oncall\.targets\.0\.kind" is "slack": expected "dingtalk" or "wecom" or "feishu" or "webhook" or "email"/,
    );
    fails(withFile({ port: 'eighty' }), /"port" is "eighty": expected a whole number from 0 to 65535/);
    // every problem at once, not one per start
    fails(withFile({ prot: 1, areas: { notify: { maxAttempts: 'x' } } }), /prot[\s\S]*maxAttempts/);
  });

  it('stops on an unknown FANZHA_ environment variable (a misspelt name would be ignored)', () => {
    fails(() => loadConfig({ FANZHA_PROT: '9000' }), /unknown environment variable FANZHA_PROT/);
    assert.equal(loadConfig({ FANZHA_TEST_PG: 'postgres://x', FANZHA_PORT: '9000' }).port, 9000);
  });

  it('keeps valid configurations valid; shopName may be a string or a per-language map', () => {
    const c = withFile({
      port: 8081,
      trustedProxies: ['10.0.0.0/8'],
      postgres: { statementTimeoutMs: 1000 },
      areas: {
        notify: {
          shopName: '示例商城',
          quietHours: null,
          channels: { webhook: { url: 'https://shop.example/hook', secret: 'x'.repeat(20) } },
          routes: { default: ['aliyun', { channel: 'twilio', langs: ['en'] }] },
        },
        incidents: { shopName: { 'zh-CN': '示例商城', en: 'Example Shop' }, contact: 'dpo@shop.example' },
        shop: { timeZone: 'Asia/Shanghai' },
        audit: {
          shards: 2,
          alerts: { offHours: { startHour: 23 } },
          oncall: { targets: [{ kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=t', secret: 'SECx', minSeverity: 'high' }] },
        },
        guard: { failMode: 'challenge', thresholds: { ipFailuresHour: 5 } },
        vault: { masking: { cjkNameKeep: 1 } },
      },
    })();
    assert.equal(c.port, 8081);
    assert.deepEqual(notifyConfig(c).shopName, { 'zh-CN': '示例商城', en: '示例商城' });
    assert.deepEqual(notifyConfig({ ...c, areas: { notify: { shopName: { 'zh-CN': '示例商城', en: 'Example Shop' } } } }).shopName, {
      'zh-CN': '示例商城',
      en: 'Example Shop',
    });
  });

  it('checks settings built in code too (createContext runs the same schema)', () => {
    assert.doesNotThrow(() => checkAreas({ notify: { leaseMs: 100 } }));
    assert.throws(() => checkAreas({ notify: { leaseMS: 100 } }), /unknown key "areas\.notify\.leaseMS"/);
  });
});

describe('master key', () => {
  it('generates one on first start into the data folder with mode 0600, then reuses it', async () => {
    const dir = tempDir();
    const a = await resolveMasterKey(undefined, dir);
    assert.equal(a.source, 'generated');
    assert.equal(a.key.length, 32);
    assert.equal(statSync(a.file!).mode & 0o777, 0o600);
    const b = await resolveMasterKey(undefined, dir);
    assert.equal(b.source, 'file');
    assert.ok(a.key.equals(b.key));
    assert.match(readFileSync(a.file!, 'utf8'), /^[0-9a-f]{64}\n$/);
  });

  it('accepts hex and base64 keys and refuses malformed ones with a clear message', async () => {
    const hex = 'ab'.repeat(32);
    assert.equal(parseMasterKey(hex).length, 32);
    assert.equal(parseMasterKey(Buffer.alloc(32, 7).toString('base64')).length, 32);
    assert.equal((await resolveMasterKey(hex, tempDir())).source, 'env');
    for (const bad of ['', 'short', 'ab'.repeat(31), 'zz'.repeat(32), Buffer.alloc(16).toString('base64')]) {
      assert.throws(
        () => parseMasterKey(bad),
        (e: Error) => e instanceof ConfigError && /FANZHA_MASTER_KEY is malformed/.test(e.message),
      );
    }
  });

  // Regressions (issue #21 item 7)
  it('never writes a new key over a missing one when encrypted data exists, and says to restore the backup', async () => {
    const dir = tempDir();
    await assert.rejects(
      resolveMasterKey(undefined, dir, async () => true),
      (e: Error) => e instanceof ConfigError && /Restore your backup of master\.key/.test(e.message),
    );
    assert.equal(existsSync(path.join(dir, 'master.key')), false);
  });

  it('refuses a key file other users can read', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'master.key');
    writeFileSync(file, 'ab'.repeat(32) + '\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    await assert.rejects(resolveMasterKey(undefined, dir), (e: Error) => e instanceof ConfigError && /chmod 600/.test(e.message));
    chmodSync(file, 0o600);
    assert.equal((await resolveMasterKey(undefined, dir)).source, 'file');
  });
});
