import { useEffect, useState } from 'preact/hooks';
import type { Api, FilmDetail, Recommendation, SearchHit } from '../api';
import { type Chosen, Chips } from '../components/Chips';
import { FilmCard } from '../components/FilmCard';
import { FilmDialog } from '../components/FilmDialog';
import { filterCount, Filters, type FilterState, NO_FILTERS } from '../components/Filters';
import { SearchBox } from '../components/SearchBox';
import { ErrorState, LoadingState } from '../components/States';
import type { Lang, Strings } from '../i18n';
import { useRecommendations } from '../recommendations';
import { visitId } from '../visit';

/** The films the visitor liked and did not, kept for the whole visit by the App. */
export interface Taste {
  liked: Chosen[];
  disliked: Chosen[];
  setLiked: (update: (l: Chosen[]) => Chosen[]) => void;
  setDisliked: (update: (d: Chosen[]) => Chosen[]) => void;
}

/** Famous enough to be in any catalogue, the samples' included. */
const EXAMPLES: Record<Lang, string[]> = { fr: ['Le Parrain', 'Amélie', 'Les Évadés'], en: ['The Godfather', 'Amélie', 'Pulp Fiction'] };

/** The customer's page: films liked (and not), filters, suggestions, a film's record. */
export function RecommendPage(props: {
  api: Api;
  lang: Lang;
  t: Strings;
  ready: boolean;
  initialFilm: string | null;
  taste: Taste;
  /** The install learns from visits: the page sends its visit id and says what is kept. */
  learns: boolean;
}) {
  const { api, lang, t } = props;
  // The visit's taste is the App's: "À l'affiche" ranks the programme with it.
  const { liked, setLiked, disliked, setDisliked } = props.taste;
  const [filters, setFilters] = useState<FilterState>(NO_FILTERS);
  const [detail, setDetail] = useState<FilmDetail | string | null>(props.initialFilm);
  const [prefill, setPrefill] = useState<{ text: string; n: number } | null>(null);
  const [state, retry] = useRecommendations(
    api,
    liked.map((c) => c.tconst),
    disliked.map((c) => c.tconst),
    filters,
    12,
    props.learns ? visitId() : undefined,
  );

  const chosen = (h: SearchHit | Recommendation): Chosen => ({ tconst: h.tconst, title: h.title, primaryTitle: h.primaryTitle, year: h.year });
  const addLiked = (c: Chosen) => {
    setLiked((l) => (l.some((x) => x.tconst === c.tconst) ? l : [...l, c]));
    setDisliked((d) => d.filter((x) => x.tconst !== c.tconst));
  };
  const addDisliked = (c: Chosen) => {
    setDisliked((d) => (d.some((x) => x.tconst === c.tconst) ? d : [...d, c]));
    setLiked((l) => l.filter((x) => x.tconst !== c.tconst));
  };
  const excluded = [...liked, ...disliked].map((c) => c.tconst);

  const items = state.kind === 'done' ? state.data.items : state.kind === 'loading' && state.previous ? state.previous.items : [];
  const notFound = state.kind === 'done' ? state.data.resolved.liked.filter((r) => r.status === 'not_found') : [];
  const nFilters = filterCount(filters);

  // Moving focus away would lose the customer's place; a polite announcement is enough.
  const [announce, setAnnounce] = useState('');
  useEffect(() => {
    if (state.kind === 'done') setAnnounce(t.resultsCount(state.data.items.length));
    else if (state.kind === 'error') setAnnounce(t.errorTitle);
  }, [state]);

  return (
    <>
      <section class="panel" aria-labelledby="liked-heading">
        <h2 id="liked-heading" class="panel__title">
          {t.likedHeading}
        </h2>
        <p class="panel__help">{t.likedHelp}</p>
        <SearchBox id="liked" api={api} lang={lang} t={t} label={t.searchLabel} placeholder={t.searchPlaceholder} exclude={excluded} onPick={(h) => addLiked(chosen(h))} prefill={prefill} />
        <Chips items={liked} label={t.likedHeading} empty={t.likedNone} removeLabel={t.chipRemove} onRemove={(id) => setLiked((l) => l.filter((c) => c.tconst !== id))} tone="liked" fallbackFocusId="liked-input" lang={lang} />

        {props.learns && (
          <p class="panel__note" id="learn-note">
            {t.learnNotice}
          </p>
        )}

        <details class="more" open={disliked.length > 0}>
          <summary class="more__summary">{t.dislikedSummary}</summary>
          <div class="more__body">
            <SearchBox id="disliked" api={api} lang={lang} t={t} label={t.dislikedLabel} placeholder={t.dislikedPlaceholder} exclude={excluded} onPick={(h) => addDisliked(chosen(h))} />
            <Chips items={disliked} label={t.dislikedSummary} empty={t.dislikedNone} removeLabel={t.chipRemove} onRemove={(id) => setDisliked((d) => d.filter((c) => c.tconst !== id))} tone="disliked" fallbackFocusId="disliked-input" lang={lang} />
          </div>
        </details>
      </section>

      <details class="panel more more--filters">
        <summary class="more__summary panel__title">
          {t.filtersSummary}
          {nFilters > 0 && <span class="badge">{nFilters}</span>}
        </summary>
        <div class="more__body">
          <Filters value={filters} onChange={setFilters} lang={lang} t={t} />
        </div>
      </details>

      <section class="results" aria-labelledby="results-heading" aria-busy={state.kind === 'loading'}>
        <h2 id="results-heading" class="results__title">
          {t.resultsHeading}
        </h2>
        <p class="sr-only" role="status" aria-live="polite">
          {announce}
        </p>

        {state.kind === 'empty' && (
          <div class="state state--empty">
            <svg class="state__art" viewBox="0 0 120 80" aria-hidden="true" focusable="false">
              <rect x="6" y="10" width="108" height="60" rx="8" fill="currentColor" opacity=".12" />
              <path d="M48 26v28l24-14z" fill="currentColor" opacity=".55" />
            </svg>
            <p class="state__title">{t.emptyTitle}</p>
            <p>{t.emptyText}</p>
            {props.ready && (
              <div class="state__try">
                <span>{t.tryWith}</span>
                {EXAMPLES[lang].map((ex) => (
                  <button key={ex} type="button" class="btn btn--quiet" onClick={() => setPrefill((p) => ({ text: ex, n: (p?.n ?? 0) + 1 }))}>
                    {ex}
                  </button>
                ))}
              </div>
            )}
          </div>
        )}

        {state.kind === 'loading' && items.length === 0 && <LoadingState text={t.loading} />}

        {state.kind === 'error' && <ErrorState title={t.errorTitle} text={t.errorText} retryLabel={t.retry} onRetry={retry} />}

        {state.kind === 'done' && state.data.coldStart && <p class="notice">{t.coldStart}</p>}
        {notFound.length > 0 && <p class="notice">{t.notFound(notFound.map((n) => n.input).join(', '))}</p>}
        {state.kind === 'done' && items.length === 0 && (
          <div class="state state--empty">
            <p class="state__title">{t.noResults}</p>
          </div>
        )}

        {items.length > 0 && state.kind !== 'error' && (
          <ul class={`cards${state.kind === 'loading' ? ' is-stale' : ''}`}>
            {items.map((film) => (
              <FilmCard
                key={film.tconst}
                film={film}
                lang={lang}
                t={t}
                headingLevel="h3"
                onDetails={setDetail}
                onLike={(f) => addLiked(chosen(f))}
                onNotForMe={(f) => addDisliked(chosen(f))}
              />
            ))}
          </ul>
        )}
      </section>

      {detail !== null && (
        <FilmDialog
          api={api}
          lang={lang}
          t={t}
          film={detail}
          onClose={() => {
            setDetail(null);
            // A film's link opened the page: once its record is closed, the address is the page's.
            if (location.pathname.startsWith('/film/')) history.replaceState(null, '', '/');
          }}
        />
      )}
    </>
  );
}
