import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Api } from './api';
import { CatalogueBanner, useCatalogueStatus } from './components/CatalogueBanner';
import { Footer } from './components/Footer';
import { STRINGS } from './i18n';
import { KpiPage } from './pages/KpiPage';
import { OwnerPage } from './pages/OwnerPage';
import { PrivacyPage } from './pages/PrivacyPage';
import { ProgrammePage } from './pages/ProgrammePage';
import { RecommendPage } from './pages/RecommendPage';
import type { Chosen } from './components/Chips';
import { LANGS, SIZES, usePersisted } from './prefs';
import { ConfirmPage } from './subscription/ConfirmPage';
import { takeFragmentToken } from './subscription/fragment-token';
import { ManagePage } from './subscription/ManagePage';
import { SubscribeForm } from './subscription/SubscribeForm';
import './styles/base.css';
import './styles/components.css';
import './styles/page.css';
import './styles/showings.css';
import './styles/programme.css';
import './styles/subscription.css';

const api = new Api('');
const ROUTES = { reco: '/', programme: '/programme', kpi: '/chiffres', gestion: '/gestion', abonnement: '/abonnement', confirmer: '/abonnement/confirmer', confidentialite: '/confidentialite' } as const;
type Route = keyof typeof ROUTES;

const routeOf = (path: string): Route => {
  const clean = path.replace(/\/+$/, '');
  return (Object.keys(ROUTES) as Route[]).find((r) => r !== 'reco' && ROUTES[r] === clean) ?? 'reco';
};
const TITLES: Partial<Record<Route, string>> = {
  programme: 'À l’affiche — Ciné Creuse',
  gestion: 'Gestion du programme — Ciné Creuse',
  abonnement: 'Mon abonnement — Ciné Creuse',
  confirmer: 'Confirmer mon inscription — Ciné Creuse',
  confidentialite: 'Vos données personnelles — Ciné Creuse',
};
/** `/film/tt0068646` opens that film's record over the page: the cinema can link to a film. */
const filmOf = (path: string): string | null => /^\/film\/(tt\d{7,10})\/?$/.exec(path)?.[1] ?? null;

function App() {
  const [lang, setLang] = usePersisted('cine-lang', LANGS, 'fr');
  const [size, setSize] = usePersisted('cine-text-size', SIZES, 'normal');
  const [route, setRoute] = useState<Route>(routeOf(location.pathname));
  // An email's link: its token, read from the fragment once and cleared from the address bar.
  const [linkToken] = useState(() => (route === 'abonnement' || route === 'confirmer' ? takeFragmentToken() : null));
  const [manage, setManage] = useState<{ token: string | null; justConfirmed: boolean }>({ token: route === 'abonnement' ? linkToken : null, justConfirmed: false });
  const status = useCatalogueStatus(api);
  const [liked, setLiked] = useState<Chosen[]>([]);
  const [disliked, setDisliked] = useState<Chosen[]>([]);
  const taste = { liked, disliked, setLiked, setDisliked };
  const t = STRINGS[lang];

  useEffect(() => {
    document.documentElement.lang = lang;
    document.documentElement.dataset.textSize = size;
    document.title = route === 'kpi' ? `${t.kpiHeading} — Ciné Creuse` : (TITLES[route] ?? `Ciné Creuse — ${t.brandTagline}`);
  }, [lang, size, route]);

  useEffect(() => {
    const onPop = () => setRoute(routeOf(location.pathname));
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);

  const go = (e: MouseEvent, to: Route) => {
    if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    e.preventDefault();
    if (to === route) return;
    history.pushState(null, '', ROUTES[to]);
    setRoute(to);
    // A new page for a screen reader: start reading from its main content.
    requestAnimationFrame(() => document.getElementById('main')?.focus());
  };

  /** After the confirm button: the manage page, its token in memory only. */
  const confirmed = (token: string) => {
    setManage({ token, justConfirmed: true });
    history.pushState(null, '', ROUTES.abonnement);
    setRoute('abonnement');
    requestAnimationFrame(() => document.getElementById('main')?.focus());
  };

  return (
    <>
      <a class="skip" href="#main">
        {t.skip}
      </a>
      <header class="top">
        <div class="top__inner">
          <a class="brand" href="/" onClick={(e) => go(e as unknown as MouseEvent, 'reco')}>
            <svg class="brand__logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
              <rect x="3" y="7" width="26" height="18" rx="3" fill="currentColor" />
              <path d="M13 11.5v9l8-4.5z" fill="#6e1423" />
            </svg>
            <span class="brand__name">Ciné Creuse</span>
          </a>
          <div class="top__tools">
            <button type="button" class="tool" lang={lang === 'fr' ? 'en' : 'fr'} aria-label={t.langSwitchLabel} onClick={() => setLang(lang === 'fr' ? 'en' : 'fr')}>
              {t.langSwitch}
            </button>
            <label class="tool tool--switch">
              <input type="checkbox" role="switch" checked={size === 'large'} onChange={(e) => setSize((e.currentTarget as HTMLInputElement).checked ? 'large' : 'normal')} />
              <span class="switch__track" aria-hidden="true" />
              <span>{t.largerText}</span>
            </label>
          </div>
        </div>
        <p class="top__tagline">{t.brandTagline}</p>
        {route !== 'gestion' && (
          <nav class="nav" aria-label="Ciné Creuse">
            <a href={ROUTES.reco} class="nav__link" aria-current={route === 'reco' ? 'page' : undefined} onClick={(e) => go(e as unknown as MouseEvent, 'reco')}>
              <span class="nav__long">{t.navReco}</span>
              <span class="nav__short">{t.navRecoShort}</span>
            </a>
            <a href={ROUTES.programme} class="nav__link" aria-current={route === 'programme' ? 'page' : undefined} onClick={(e) => go(e as unknown as MouseEvent, 'programme')}>
              <span class="nav__long">{t.navProgramme}</span>
              <span class="nav__short">{t.navProgrammeShort}</span>
            </a>
            <a href={ROUTES.kpi} class="nav__link" aria-current={route === 'kpi' ? 'page' : undefined} onClick={(e) => go(e as unknown as MouseEvent, 'kpi')}>
              <span class="nav__long">{t.navKpi}</span>
              <span class="nav__short">{t.navKpiShort}</span>
            </a>
          </nav>
        )}
      </header>
      <main id="main" class="main" tabIndex={-1}>
        {(route === 'reco' || route === 'kpi') && <CatalogueBanner status={status} t={t} />}
        {route === 'confirmer' ? (
          <ConfirmPage api={api} lang={lang} token={linkToken} onConfirmed={confirmed} />
        ) : route === 'abonnement' ? (
          <ManagePage key={manage.token ?? ''} api={api} lang={lang} token={manage.token} justConfirmed={manage.justConfirmed} />
        ) : route === 'confidentialite' ? (
          <PrivacyPage />
        ) : route === 'gestion' ? (
          <OwnerPage api={api} />
        ) : route === 'programme' ? (
          <ProgrammePage api={api} english={lang === 'en'} liked={liked} disliked={disliked} onChangeTaste={(e) => go(e, 'reco')} />
        ) : route === 'kpi' ? (
          <KpiPage api={api} lang={lang} t={t} />
        ) : (
          <>
            <RecommendPage api={api} lang={lang} t={t} ready={status?.ready ?? true} initialFilm={filmOf(location.pathname)} taste={taste} learns={status?.learnsFromVisits === true} />
            <SubscribeForm id="sub" api={api} lang={lang} liked={liked} disliked={disliked} source="page" />
          </>
        )}
      </main>
      <Footer lang={lang} t={t} privacyHref={ROUTES.confidentialite} onPrivacy={(e) => go(e, 'confidentialite')} />
    </>
  );
}

render(<App />, document.getElementById('app')!);
