import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { I18nProvider, type Lang } from '../i18n/i18n.tsx';
import { AppCtx } from '../lib/app-context.tsx';
import { Router } from '../lib/router.tsx';
import type { Features } from '../api/session.ts';
import { Cases } from './Cases.tsx';
import { CaseWorkflowPanel } from './CaseWorkflowPanel.tsx';
import { FIXTURES } from '../../../src/console/fixtures.test-helper.ts';
import { rawEnumsIn } from '../../../src/testing/raw-enums.ts';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Serves the browser test's fixtures; records the bodies of writes. */
function serve(writes: { url: string; body: unknown }[] = []) {
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const u = new URL(url, 'http://x');
    const method = init?.method ?? 'GET';
    if (method !== 'GET') {
      writes.push({ url: `${method} ${u.pathname}`, body: JSON.parse(String(init?.body)) });
      return Response.json({ updated: ['case_k1'], failed: [] });
    }
    const data = FIXTURES[`GET ${u.pathname}`];
    return data === undefined
      ? Response.json({ type: 'x', title: 'No endpoint', status: 404, detail: `No endpoint ${u.pathname}` }, { status: 404 })
      : Response.json(data);
  });
}

function mount(lang: Lang, ui: React.ReactNode) {
  return render(
    <I18nProvider lang={lang}>
      <Router>
        <AppCtx.Provider value={{ session: { signedIn: true, role: 'analyst', keyName: 'desk' }, features: { cases: true } as Features, signOut: () => {} }}>
          {ui}
        </AppCtx.Provider>
      </Router>
    </I18nProvider>,
  );
}

/** Screen text without machine values (ids, indicator values), which are shown as they are. */
const screenText = (root: HTMLElement) => {
  const c = root.cloneNode(true) as HTMLElement;
  for (const el of c.querySelectorAll('.mono, time')) el.remove();
  return c.textContent ?? '';
};

describe('cases triage list and workflow in zh-CN', () => {
  it('shows statuses, priorities, resolutions, indicator kinds and tiers from the catalogue, never raw', async () => {
    serve();
    const { container } = mount('zh-CN', <Cases />);
    await screen.findByText('王分析');
    expect(screen.getByText('王分析').getAttribute('title')).toBe('stf_analyst_07');
    const text = screenText(container);
    for (const label of ['调查中', '紧急', '已逾期', '收款账号', '短信发送方', '高风险', '误报', '第 1–3 条，共 3 条']) expect(text).toContain(label);
    expect(rawEnumsIn(text)).toEqual([]);
  });

  it('the raw-enum check catches an untranslated value', () => {
    expect(rawEnumsIn('状态：investigating · 支付方式 bank_transfer · 风险 high · App')).toEqual(['investigating', 'bank_transfer', 'high']);
  });

  it('renders the case history as sentences in Chinese, with principals by name', async () => {
    serve();
    const { container } = mount('zh-CN', <CaseWorkflowPanel caseId="case_k1" />);
    await screen.findByText('溯源调查：已归因，12 位受害人');
    const text = screenText(container);
    expect(text).toContain('desk lead：指派给 王分析');
    expect(text).toContain('王分析：状态「待处理」→「调查中」');
    expect(text).toContain('新举报到达，案件重新打开（原结论「确认诈骗」）');
    expect(text).toContain('泄露事件（已控制）：张*（乙班）');
    expect(rawEnumsIn(text)).toEqual([]);
  });

  it('will not resolve without a resolution, and sends one when chosen', async () => {
    const writes: { url: string; body: unknown }[] = [];
    serve(writes);
    mount('en', <CaseWorkflowPanel caseId="case_k1" />);
    fireEvent.change(await screen.findByLabelText('Status'), { target: { value: 'resolved' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Resolving a case needs a resolution.')).toBeTruthy();
    expect(writes).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Resolution'), { target: { value: 'confirmed_scam' } });
    fireEvent.change(screen.getByLabelText('Note'), { target: { value: 'Police case opened' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]!.url).toBe('PATCH /v1/cases/case_k1/workflow');
    expect(writes[0]!.body).toMatchObject({ status: 'resolved', resolution: 'confirmed_scam', priority: 'urgent', tags: ['外包'], note: 'Police case opened' });
    expect(writes[0]!.body).not.toHaveProperty('assignee');
  });

  it('bulk-resolves the selected cases with the chosen resolution', async () => {
    const writes: { url: string; body: unknown }[] = [];
    serve(writes);
    mount('en', <Cases />);
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select case case_k2' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select case case_k3' }));
    const resolve = screen.getByRole('button', { name: 'Resolve selected' }) as HTMLButtonElement;
    expect(resolve.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Resolution'), { target: { value: 'duplicate' } });
    fireEvent.click(resolve);
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    expect(writes[0]).toEqual({ url: 'POST /v1/cases/bulk', body: { ids: ['case_k2', 'case_k3'], status: 'resolved', resolution: 'duplicate' } });
  });
});
