import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, buildUrl, setCsrfToken } from './http.ts';
import { classifyError } from '../lib/useResource.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

function stubFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

describe('api client', () => {
  it('drops empty query values', () => {
    expect(buildUrl('/v1/cases', { status: 'open', q: '', cursor: undefined, limit: 50 })).toBe('/v1/cases?status=open&limit=50');
  });
  it('sends the CSRF token on unsafe methods only', async () => {
    setCsrfToken('tok');
    const calls = stubFetch(200, { ok: 1 });
    await api('/v1/keys');
    await api('/v1/keys', { method: 'POST', body: { role: 'agent' } });
    expect((calls[0]!.init.headers as Record<string, string>)['x-fanzha-csrf']).toBeUndefined();
    expect((calls[1]!.init.headers as Record<string, string>)['x-fanzha-csrf']).toBe('tok');
    expect(calls[1]!.init.credentials).toBe('same-origin');
  });
  it('turns problem+json into ApiError and tells a missing endpoint from a missing record', async () => {
    stubFetch(404, { type: 'https://fanzha.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No endpoint GET /v1/cases.' });
    const e1 = (await api('/v1/cases').catch((e) => e)) as ApiError;
    expect(e1).toBeInstanceOf(ApiError);
    expect(e1.endpointMissing).toBe(true);
    expect(classifyError(e1)).toEqual({ state: 'unavailable' });
    stubFetch(404, { type: 'https://fanzha.dev/problems/not-found', title: 'Not found', status: 404, detail: 'No such case.' });
    const e2 = (await api('/v1/cases/x').catch((e) => e)) as ApiError;
    expect(e2.endpointMissing).toBe(false);
    expect(classifyError(e2)).toEqual({ state: 'error', message: 'No such case.' });
    stubFetch(403, { type: 'https://fanzha.dev/problems/forbidden', title: 'Role not allowed', status: 403 });
    expect(classifyError(await api('/v1/keys').catch((e) => e))).toEqual({ state: 'forbidden' });
  });
});
