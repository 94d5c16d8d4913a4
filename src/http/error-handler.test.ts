// The one mapping from domain errors to RFC 9457 problems: category → status, the problem type and
// title an error names (or its category's), detail, extensions and Retry-After.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { installErrorHandlers } from './error-handler.ts';
import { PROBLEM_BASE } from './problem.ts';
import { DomainError, fail } from '../lib/errors.ts';

async function answer(err: Error) {
  const app = Fastify();
  installErrorHandlers(app);
  app.get('/x', async () => {
    throw err;
  });
  const res = await app.inject({ url: '/x?secret=1' });
  await app.close();
  return { status: res.statusCode, headers: res.headers, body: res.json() };
}

describe('error handler: domain errors', () => {
  it('gives each category its status and default type and title', async () => {
    const cases: [DomainError, number, string, string][] = [
      [fail.badRequest('Give one.'), 400, 'bad-request', 'Bad request'],
      [fail.notFound('canary'), 404, 'not-found', 'Not found'],
      [fail.conflict('Taken.'), 409, 'conflict', 'Conflict'],
      [fail.tooLarge('Too many.'), 413, 'too-large', 'Request too large'],
      [fail.unavailable('Later.'), 503, 'unavailable', 'Service unavailable'],
      [new DomainError('forbidden', 'No.'), 403, 'forbidden', 'Not allowed'],
      [new DomainError('unauthenticated', 'Who?'), 401, 'unauthorized', 'Authentication required'],
    ];
    for (const [err, status, type, title] of cases) {
      const r = await answer(err);
      assert.equal(r.status, status, type);
      assert.match(String(r.headers['content-type']), /^application\/problem\+json/);
      assert.deepEqual(r.body, { type: PROBLEM_BASE + type, title, status, detail: err.message, instance: '/x' });
    }
  });

  it('uses the type, title, detail and extensions an error names', async () => {
    const err = new DomainError('unprocessable', 'None of the 3 victims names a known customer or order.', {
      type: 'no-victims',
      title: 'No victim could be resolved',
      extensions: { unresolved: [{ index: 0 }] },
    });
    const r = await answer(err);
    assert.equal(r.status, 422);
    assert.deepEqual(r.body, {
      type: PROBLEM_BASE + 'no-victims',
      title: 'No victim could be resolved',
      status: 422,
      detail: err.message,
      instance: '/x',
      unresolved: [{ index: 0 }],
    });
    const d = await answer(new DomainError('invalid', 'line 2 is not valid JSON', { detail: 'The body could not be parsed.', extensions: { line: 2 } }));
    assert.equal(d.body.detail, 'The body could not be parsed.');
    assert.equal(d.body.line, 2);
  });

  it('sends Retry-After for a rate-limited error, and fail.validation lists the errors', async () => {
    const r = await answer(new DomainError('rate-limited', 'Reveal quota used up.', { type: 'reveal-quota', retryAfterSeconds: 42 }));
    assert.equal(r.status, 429);
    assert.equal(r.headers['retry-after'], '42');
    assert.equal(r.body.type, PROBLEM_BASE + 'reveal-quota');
    assert.equal(r.body.retryAfter, 42);
    const v = await answer(fail.validation('The body failed validation: /urls/0 is not a URL', [{ path: '/urls/0', message: 'is not a URL' }]));
    assert.equal(v.status, 400);
    assert.deepEqual(v.body.errors, [{ path: '/urls/0', message: 'is not a URL' }]);
  });

  it('an internal domain error is a 500 that says so', async () => {
    const r = await answer(fail.internal('could not build the canary order'));
    assert.equal(r.status, 500);
    assert.equal(r.body.type, PROBLEM_BASE + 'internal');
  });
});
