import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { md4js } from './md4.ts';
import { ntlm, sha1 } from './hashes.ts';

describe('MD4 and NTLM', () => {
  it('matches the RFC 1320 test suite', () => {
    const v: [string, string][] = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', '043f8582f241db351ce627e153e7f0e4'],
      ['12345678901234567890123456789012345678901234567890123456789012345678901234567890', 'e33b4ddc9c38f2199c3e7b164fcc0536'],
    ];
    for (const [input, hex] of v) assert.equal(md4js(Buffer.from(input)).toString('hex'), hex, input);
  });
  it('gives known NTLM and SHA-1 hashes', () => {
    assert.equal(ntlm('password').toString('hex').toUpperCase(), '8846F7EAEE8FB117AD06BDD830B7586C');
    assert.equal(sha1('password').toString('hex').toUpperCase(), '5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8');
  });
});
