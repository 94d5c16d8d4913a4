import { describe, expect, it } from 'vitest';
import { appPath, matchRoute } from './router.tsx';
import { activeNav } from '../App.tsx';

describe('router', () => {
  it('matches patterns with decoded params', () => {
    expect(matchRoute('/cases/:id', '/cases/case_1%2F2')).toEqual({ id: 'case_1/2' });
    expect(matchRoute('/cases/:id', '/cases')).toBeNull();
    expect(matchRoute('/', '/')).toEqual({});
    expect(matchRoute('/cases/:id', '/cases/%E0%A4%A')).toBeNull();
  });
  it('maps /console paths into the app', () => {
    expect(appPath('/console')).toBe('/');
    expect(appPath('/console/')).toBe('/');
    expect(appPath('/console/cases/x')).toBe('/cases/x');
  });
  it('highlights the section of nested pages', () => {
    expect(activeNav('/cases/case_1')).toBe('/cases');
    expect(activeNav('/')).toBe('/');
    expect(activeNav('/investigations/inv_1')).toBe('/investigations');
  });
});
