// The signed-in console: sidebar navigation, the screen for the current path, sign-out.
import { Suspense, lazy, useCallback, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import { useI18n, LangSwitch } from './i18n/i18n.tsx';
import { Link, matchRoute, useRouter } from './lib/router.tsx';
import { AppCtx } from './lib/app-context.tsx';
import { currentSession, features as loadFeatures, signOut, type Features, type Session } from './api/session.ts';
import { SignIn } from './pages/SignIn.tsx';
import { Overview } from './pages/Overview.tsx';
// Every screen but the overview loads on first visit (its own chunk): the first load stays small.
const page = <K extends string>(load: () => Promise<Record<K, ComponentType<never>>>, name: K) =>
  lazy(async () => ({ default: (await load())[name] as ComponentType<Record<string, string>> }));
const Cases = page(() => import('./pages/Cases.tsx'), 'Cases');
const CasePage = page(() => import('./pages/CasePage.tsx'), 'CasePage');
const Investigations = page(() => import('./pages/Investigations.tsx'), 'Investigations');
const InvestigationPage = page(() => import('./pages/Investigations.tsx'), 'InvestigationPage');
const AccessLog = page(() => import('./pages/AccessLog.tsx'), 'AccessLog');
const Canaries = page(() => import('./pages/Canaries.tsx'), 'Canaries');
const Incidents = page(() => import('./pages/Incidents.tsx'), 'Incidents');
// one incident's page
const IncidentPage = page(() => import('./pages/IncidentPage.tsx'), 'IncidentPage');
const LoginProtection = page(() => import('./pages/LoginProtection.tsx'), 'LoginProtection');
const Settings = page(() => import('./pages/Settings.tsx'), 'Settings');
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
  if (failed)
    return (
      <div className="state state-error" role="alert">
        {t('state.error')}
      </div>
    );
  if (!session || !features)
    return (
      <div className="state state-loading" role="status">
        {t('state.loading')}
      </div>
    );
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
  let screen: ReactNode = null;
  for (const [pattern, render] of ROUTES) {
    const m = matchRoute(pattern, path);
    if (m) {
      screen = render(m);
      break;
    }
  }
  const current = activeNav(path);
  // Below 768 px the sidebar is a top bar whose menu opens on demand and closes on navigation.
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => setMenuOpen(false), [path]);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t('nav.skip')}
      </a>
      <aside className={menuOpen ? 'sidebar menu-open' : 'sidebar'}>
        <div className="sidebar-top">
          <Brand />
          <button
            type="button"
            className="btn btn-small btn-sidebar menu-toggle"
            aria-expanded={menuOpen}
            aria-controls="main-nav"
            onClick={() => setMenuOpen((o) => !o)}
          >
            <span aria-hidden="true">☰</span> {t('nav.menu')}
          </button>
        </div>
        <nav id="main-nav" aria-label={t('nav.main')}>
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} className={n.to === current ? 'nav-link active' : 'nav-link'} aria-current={n.to === current ? 'page' : undefined}>
                  <span className="nav-icon" aria-hidden="true">
                    {n.icon}
                  </span>
                  {t(n.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <UserBox />
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Suspense
          fallback={
            <div className="state state-loading" role="status">
              {t('state.loading')}
            </div>
          }
        >
          {screen ?? <div className="state">404</div>}
        </Suspense>
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
