import { render } from 'preact';
import { useState } from 'preact/hooks';
import { Api } from './api';
import { type Chosen, Chips } from './components/Chips';
import { FilmCard } from './components/FilmCard';
import { PosterBase } from './components/Poster';
import { ProgrammeView } from './components/Programme';
import { SearchBox } from './components/SearchBox';
import { ErrorState, LoadingState } from './components/States';
import { type Lang, STRINGS } from './i18n';
import { useRecommendations } from './recommendations';
import { SubscribeForm } from './subscription/SubscribeForm';
import shared from './styles/components.css?inline';
import showings from './styles/showings.css?inline';
import subscription from './styles/subscription.css?inline';
import own from './styles/widget.css?inline';

/**
 * The embeddable widget: `<script src="https://gateway/widget.js" defer></script>` puts a search
 * and suggestions box where the script stands (or fills any `<cine-creuse-reco>` on the page),
 * with the programme ("À l'affiche", the page's view) a button away; `data-view="programme"` on
 * the script (`view` on the element) opens on it.
 * Everything lives in a shadow root, so the host's styles and ours never meet; the API is the
 * gateway's, through CORS (the host's origin must be in the gateway's CORS_ORIGINS).
 */
const TAG = 'cine-creuse-reco';

type View = 'reco' | 'programme';
/** The widget has no "pas pour moi" list: the subscription form starts with none. */
const NO_FILMS: Chosen[] = [];

function Widget({ api, lang, site, initialView }: { api: Api; lang: Lang; site: string; initialView: View }) {
  const t = STRINGS[lang];
  const [liked, setLiked] = useState<Chosen[]>([]);
  const [view, setView] = useState<View>(initialView);
  // Once opened, the programme stays mounted (hidden): going back to it asks the API nothing again.
  const [programmeOpened, setProgrammeOpened] = useState(initialView === 'programme');
  const show = (v: View) => {
    setView(v);
    if (v === 'programme') setProgrammeOpened(true);
  };
  const [state, retry] = useRecommendations(
    api,
    liked.map((c) => c.tconst),
    [],
    null,
    6,
  );
  const items = state.kind === 'done' ? state.data.items : state.kind === 'loading' && state.previous ? state.previous.items : [];
  return (
    <section class="widget" lang={lang} aria-labelledby="ccw-title">
      <h2 id="ccw-title" class="widget__title">
        {t.widgetTitle}
      </h2>
      <SearchBox
        id="ccw-liked"
        api={api}
        lang={lang}
        t={t}
        label={t.searchLabel}
        placeholder={t.searchPlaceholder}
        exclude={liked.map((c) => c.tconst)}
        onPick={(h) => setLiked((l) => (l.some((c) => c.tconst === h.tconst) ? l : [...l, { tconst: h.tconst, title: h.title, primaryTitle: h.primaryTitle, year: h.year }]))}
      />
      <Chips items={liked} label={t.likedHeading} empty={t.likedNone} removeLabel={t.chipRemove} onRemove={(id) => setLiked((l) => l.filter((c) => c.tconst !== id))} tone="liked" fallbackFocusId="ccw-liked-input" lang={lang} />
      <p class="widget__views">
        {(['reco', 'programme'] as const).map((v) => (
          <button key={v} type="button" class="btn widget__view" aria-pressed={view === v} aria-controls={v === 'reco' || programmeOpened ? `ccw-view-${v}` : undefined} onClick={() => show(v)}>
            {v === 'reco' ? t.navReco : t.navProgramme}
          </button>
        ))}
      </p>
      <div id="ccw-view-reco" aria-live="polite" aria-busy={state.kind === 'loading'} hidden={view !== 'reco'}>
        {state.kind === 'loading' && items.length === 0 && <LoadingState text={t.loading} />}
        {state.kind === 'error' && <ErrorState title={t.errorTitle} text={t.errorText} retryLabel={t.retry} onRetry={retry} />}
        {items.length > 0 && state.kind !== 'error' && (
          <ul class={`cards${state.kind === 'loading' ? ' is-stale' : ''}`} aria-label={t.resultsHeading}>
            {items.map((film) => (
              <FilmCard key={film.tconst} film={film} lang={lang} t={t} headingLevel="h3" />
            ))}
          </ul>
        )}
      </div>
      {programmeOpened && (
        // The programme is the cinema's French, whatever the widget's language.
        <div id="ccw-view-programme" class="programme" lang="fr" hidden={view !== 'programme'}>
          <ProgrammeView api={api} liked={liked} disliked={[]} />
        </div>
      )}
      {/* Shown only where the install has subscriptions (its consent wording answers). */}
      <SubscribeForm id="ccw-sub" api={api} lang={lang} liked={liked} disliked={NO_FILMS} source="widget" />
      <p class="widget__more">
        <a href={site} target="_blank" rel="noopener">
          {t.widgetMore}
        </a>
      </p>
    </section>
  );
}

class CineCreuseReco extends HTMLElement {
  connectedCallback(): void {
    if (this.shadowRoot) return;
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = `${shared}\n${showings}\n${subscription}\n${own}`;
    root.appendChild(style);
    const mount = document.createElement('div');
    mount.className = 'ccw-root';
    root.appendChild(mount);
    const apiBase = (this.getAttribute('api') ?? DEFAULT_API).replace(/\/+$/, '');
    const lang: Lang = (this.getAttribute('lang') ?? document.documentElement.lang ?? 'fr').toLowerCase().startsWith('en') ? 'en' : 'fr';
    render(
      // Poster URLs are the gateway's, relative: here they must name the gateway's origin.
      <PosterBase.Provider value={apiBase}>
        <Widget api={new Api(apiBase)} lang={lang} site={`${apiBase}/`} initialView={this.getAttribute('view') === 'programme' ? 'programme' : 'reco'} />
      </PosterBase.Provider>,
      mount,
    );
  }

  disconnectedCallback(): void {
    if (this.shadowRoot) render(null, this.shadowRoot.lastElementChild as HTMLElement);
  }
}

// The gateway that served this script is the default API: the snippet needs no configuration.
const script = document.currentScript as HTMLScriptElement | null;
const DEFAULT_API = script?.dataset.api ?? (script?.src ? new URL(script.src).origin : location.origin);

if (!customElements.get(TAG)) customElements.define(TAG, CineCreuseReco);
if (script && !document.querySelector(TAG)) {
  const el = document.createElement(TAG);
  if (script.dataset.lang) el.setAttribute('lang', script.dataset.lang);
  if (script.dataset.view) el.setAttribute('view', script.dataset.view);
  script.after(el);
}
