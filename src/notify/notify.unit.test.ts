import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { signWebhook, verifyWebhookSignature } from './channels/webhook-signature.ts';
import { renderNotice, assertSmsSafe, LANGS } from './templates.ts';
import { NOTICE_TEMPLATES } from './notifier.port.ts';
import { backoffDelay, quietHoursEnd, timeZoneForPhone } from './delivery-policy.ts';
import { aliyunStringToSign, aliyunPercentEncode, aliyunPhone } from './channels/aliyun.channel.ts';
import { twilioSignature } from './channels/twilio.channel.ts';

describe('webhook signatures', () => {
  const secret = 'whsec_abc';
  const body = '{"id":"ntc_1","text":"退款提醒"}';
  const now = 1_800_000_000;
  const sig = signWebhook(secret, now, body);

  it('accepts an untouched request inside the replay window', () => {
    assert.match(sig, /^v1=[0-9a-f]{64}$/);
    assert.deepEqual(verifyWebhookSignature({ secret, body, timestamp: String(now), signature: sig, nowSeconds: now + 299 }), { ok: true });
    // Several signatures during a secret rotation: any match is enough.
    assert.deepEqual(verifyWebhookSignature({ secret, body, timestamp: String(now), signature: `v1=${'0'.repeat(64)}, ${sig}`, nowSeconds: now }), {
      ok: true,
    });
  });

  it('rejects a changed body, a wrong secret, a moved timestamp, replays and missing headers', () => {
    const v = (o: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, body, timestamp: String(now), signature: sig, nowSeconds: now, ...o });
    assert.deepEqual(v({ body: body.replace('1', '2') }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(v({ secret: 'other' }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(v({ timestamp: String(now + 1) }), { ok: false, reason: 'mismatch' });
    assert.deepEqual(v({ nowSeconds: now + 301 }), { ok: false, reason: 'stale' });
    assert.deepEqual(v({ nowSeconds: now - 301 }), { ok: false, reason: 'stale' });
    assert.deepEqual(v({ signature: undefined }), { ok: false, reason: 'missing' });
    assert.deepEqual(v({ timestamp: '12abc' }), { ok: false, reason: 'malformed' });
    assert.deepEqual(v({ signature: 'v1=short' }), { ok: false, reason: 'mismatch' });
  });
});

describe('notice templates', () => {
  const opts = { shopName: { 'zh-CN': '好店', en: 'GoodShop' }, officialDomain: 'shop.example.com' };
  it('renders every template in zh-CN and English, SMS-safe', () => {
    for (const tpl of NOTICE_TEMPLATES) {
      for (const lang of LANGS) {
        const r = renderNotice(tpl, lang, { orderId: 'D123', staffName: '小王', team: '售后', device: 'iPhone' }, opts);
        assert.ok(r.subject.length > 4 && r.text.length > 20, `${tpl} ${lang}`);
        assert.ok(!r.text.includes('undefined'), `${tpl} ${lang}`);
        assertSmsSafe(r.text, opts.officialDomain);
      }
    }
  });

  it('the refund warning says what the shop never does and where to check', () => {
    const zh = renderNotice('refund.requested', 'zh-CN', { orderId: 'D123' }, opts).text;
    for (const p of ['D123', '绝不会来电', '银行卡号', '身份证号', '验证码', '链接', '官方联系状态']) assert.ok(zh.includes(p), p);
    const en = renderNotice('refund.requested', 'en', { orderId: 'D123' }, opts).text;
    for (const p of ['never call', 'bank card', 'ID number', 'verification code', 'link', 'official contact']) assert.ok(en.includes(p), p);
  });

  it('strips links and markup smuggled in through variables', () => {
    const r = renderNotice('refund.completed', 'zh-CN', { orderId: 'D1 http://evil.example/x <b>' }, opts);
    assert.ok(!r.text.includes('evil') && !r.text.includes('<'));
  });

  it('enforces the SMS rules: only the official domain, no links with codes', () => {
    assertSmsSafe('详情请访问 shop.example.com', 'shop.example.com');
    assert.throws(() => assertSmsSafe('点击 http://refund-help.top/a 办理', 'shop.example.com'));
    assert.throws(() => assertSmsSafe('详情 shop-example.com', 'shop.example.com'));
    assert.throws(() => assertSmsSafe('验证码 1234，详情 shop.example.com', 'shop.example.com', { carriesCode: true }));
  });
});

describe('delivery policy', () => {
  it('backs off exponentially with jitter, capped', () => {
    assert.equal(
      backoffDelay(1, 1000, 60_000, () => 0.999),
      999,
    );
    assert.equal(
      backoffDelay(5, 1000, 60_000, () => 0.999),
      15_984,
    );
    assert.equal(
      backoffDelay(30, 1000, 60_000, () => 0.999),
      59_940,
    );
    assert.equal(
      backoffDelay(3, 1000, 60_000, () => 0),
      500,
      'never below half the base',
    );
  });

  it("finds the end of quiet hours in the customer's zone, across midnight", () => {
    const q = { start: 22, end: 8, timeZone: 'Asia/Shanghai' };
    const at = (h: number, m = 0) => Date.UTC(2026, 0, 10, h - 8, m); // Shanghai local h:m
    assert.equal(quietHoursEnd(at(12), q), null);
    assert.equal(quietHoursEnd(at(23, 30), q), Date.UTC(2026, 0, 11, 0, 0)); // 08:00 local next day
    assert.equal(quietHoursEnd(at(7, 59), q), at(8));
    assert.equal(quietHoursEnd(at(22), q), at(22) + 10 * 3_600_000);
    assert.equal(timeZoneForPhone('+447911123456', 'Asia/Shanghai'), 'Europe/London');
    assert.equal(timeZoneForPhone('+12025550123', 'Asia/Shanghai'), 'Asia/Shanghai');
  });
});

describe('SMS provider request formats', () => {
  it('Aliyun: percent-encodes per RFC 3986 and builds the documented StringToSign', () => {
    assert.equal(aliyunPercentEncode("a b*c~d'!"), 'a%20b%2Ac~d%27%21');
    const sts = aliyunStringToSign('POST', { B: '2', A: '1 1', Signature: 'ignored' });
    assert.equal(sts, 'POST&%2F&A%3D1%25201%26B%3D2');
    assert.equal(aliyunPhone('+8613812345678'), '13812345678');
    assert.equal(aliyunPhone('+85261234567'), '85261234567');
  });

  it('Twilio: signs URL plus sorted params with HMAC-SHA1', () => {
    // The example from Twilio's webhook security documentation.
    const params = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };
    assert.equal(twilioSignature('12345', 'https://mycompany.com/myapp.php?foo=1&bar=2', params), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });
});
