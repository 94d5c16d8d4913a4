// Loads one API resource for a screen and classifies the outcome so every screen can say the
// same thing the same way: loading, data, not available yet (area absent), forbidden, or error.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../api/http.ts';

export type Resource<T> =
  { state: 'loading' } | { state: 'ok'; data: T } | { state: 'unavailable' } | { state: 'forbidden' } | { state: 'error'; message: string };

export function classifyError(e: unknown): Resource<never> {
  if (e instanceof ApiError) {
    if (e.endpointMissing) return { state: 'unavailable' };
    if (e.status === 403) return { state: 'forbidden' };
    return { state: 'error', message: e.message };
  }
  return { state: 'error', message: e instanceof Error ? e.message : String(e) };
}

/**
 * `enabled === false` (the server lacks the area) yields "unavailable" without a request, so the
 * browser never logs a 404 for a screen whose area is not installed.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], enabled = true): Resource<T> & { reload(): void } {
  const [res, setRes] = useState<Resource<T>>(enabled ? { state: 'loading' } : { state: 'unavailable' });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    if (!enabled) {
      setRes({ state: 'unavailable' });
      return;
    }
    let live = true;
    setRes({ state: 'loading' });
    loadRef.current().then(
      (data) => live && setRes({ state: 'ok', data }),
      (e) => live && setRes(classifyError(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, tick, ...deps]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return Object.assign({}, res, { reload });
}
