// The signed-in console: sidebar navigation, the screen for the current path, sign-out.
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useI18n, LangSwitch } from './i18n/i18n.tsx';
import { Link, matchRoute, useRouter } from './lib/router.tsx';
import { AppCtx } from './lib/app-context.tsx';
import { currentSession, features as loadFeatures, signOut, type Features, type Session } from './api/session.ts';
import { SignIn } from './pages/SignIn.tsx';
import { Overview } from './pages/Overview.tsx';
import { Cases } from './pages/Cases.tsx';
import { CasePage } from './pages/CasePage.tsx';
import { Investigations, InvestigationPage } from './pages/Investigations.tsx';
import { AccessLog } from './pages/AccessLog.tsx';
import { Canaries } from './pages/Canaries.tsx';
import { Incidents } from './pages/Incidents.tsx';
// one incident's page
import { IncidentPage } from './pages/IncidentPage.tsx';
import { LoginProtection } from './pages/LoginProtection.tsx';
import { Settings } from './pages/Settings.tsx';
import type { MessageKey } from './i18n/messages.ts';
import { Brand } from './components/Brand.tsx';

export const NAV: { to: string; label: MessageKey; icon: string }[] = [
  { to: '/', label: 'nav.overview', icon: '◎' },
  { to: '/cases', label: 'nav.cases', icon: '▤' },
  { to: '/investigations', label: 'nav.investigations', icon: '⊙' },
  { to: '/access', label: 'nav.access', icon: '≣' },
  { to: '/canaries', label: 'nav.canaries', icon: '◇' },
  { to: '/incidents', label: 'nav.incidents', icon: '⚑' },
  { to: '/guard', label: 'nav.guard', icon: '◈' },
  { to: '/settings', label: 'nav.settings', icon: '⚙' },
];

const ROUTES: [string, (p: Record<string, string>) => ReactNode][] = [
  ['/', () => <Overview />],
  ['/cases', () => <Cases />],
  ['/cases/:id', (p) => <CasePage id={p.id!} />],
  ['/investigations', () => <Investigations />],
  ['/investigations/:id', (p) => <InvestigationPage id={p.id!} />],
  ['/access', () => <AccessLog />],
  ['/canaries', () => <Canaries />],
  ['/incidents', () => <Incidents />],
  // one incident (state, scope, containment, notices, reports)
  ['/incidents/:id', (p) => <IncidentPage id={p.id!} />],
  ['/guard', () => <LoginProtection />],
  ['/settings', () => <Settings />],
  // Sub-screens (masking, templates, history)
  ['/settings/:tab', (p) => <Settings tab={p.tab!} />],
];

/** Which nav entry is current for a path: the longest prefix match. */
export function activeNav(path: string): string {
  let best = '/';
  for (const n of NAV) if (n.to !== '/' && (path === n.to || path.startsWith(n.to + '/')) && n.to.length > best.length) best = n.to;
  return best;
}

export function App() {
  const { t } = useI18n();
  const [session, setSession] = useState<Session | null>(null);
  const [features, setFeatures] = useState<Features | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    Promise.all([currentSession(), loadFeatures()]).then(
      ([s, f]) => {
        setSession(s);
        setFeatures(f);
      },
      () => setFailed(true),
    );
  }, []);
  const doSignOut = useCallback(() => {
    void signOut().finally(() => setSession({ signedIn: false }));
  }, []);
  if (failed) return <div className="state state-error" role="alert">{t('state.error')}</div>;
  if (!session || !features) return <div className="state state-loading" role="status">{t('state.loading')}</div>;
  if (!session.signedIn) return <SignIn onSignedIn={setSession} />;
  return (
    <AppCtx.Provider value={{ session, features, signOut: doSignOut }}>
      <Shell />
    </AppCtx.Provider>
  );
}

function Shell() {
  const { t } = useI18n();
  const { path } = useRouter();
  let page: ReactNode = null;
  for (const [pattern, render] of ROUTES) {
    const m = matchRoute(pattern, path);
    if (m) {
      page = render(m);
      break;
    }
  }
  const current = activeNav(path);
  return (
    <div className="shell">
      <a className="skip" href="#main">{t('nav.skip')}</a>
      <aside className="sidebar">
        <Brand />
        <nav aria-label={t('nav.main')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} className={n.to === current ? 'nav-link active' : 'nav-link'} aria-current={n.to === current ? 'page' : undefined}>
                  <span className="nav-icon" aria-hidden="true">{n.icon}</span>
                  {t(n.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <UserBox />
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        {page ?? <div className="state">404</div>}
      </main>
    </div>
  );
}

function UserBox() {
  const { t } = useI18n();
  return (
    <AppCtx.Consumer>
      {(s) =>
        s && (
          <div className="userbox">
            <div>
              <strong>{s.session.keyName}</strong>
              <small>{s.session.role === 'admin' ? t('role.admin') : t('role.analyst')}</small>
            </div>
            <div className="userbox-actions">
              <LangSwitch className="btn btn-small btn-sidebar" />
              <button type="button" className="btn btn-small btn-sidebar" onClick={s.signOut}>
                {t('signout')}
              </button>
            </div>
          </div>
        )
      }
    </AppCtx.Consumer>
  );
}
