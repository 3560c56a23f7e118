import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, type FilmDetail, isAbort } from '../api';
import { genreName, type Lang, type Strings, titleIn } from '../i18n';
import { Poster } from './Poster';

/**
 * A film's full record in a modal dialog (the browser traps focus, Escape closes, focus returns
 * to the button that opened it). Opened with a full record (a suggestion) or a tconst to fetch.
 */
export function FilmDialog(props: { api: Api; lang: Lang; t: Strings; film: FilmDetail | string; onClose: () => void }) {
  const { t, lang } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [film, setFilm] = useState<FilmDetail | null>(typeof props.film === 'string' ? null : props.film);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  useEffect(() => {
    if (typeof props.film !== 'string') {
      setFilm(props.film);
      return;
    }
    const ctrl = new AbortController();
    setFilm(null);
    props.api
      .film(props.film, ctrl.signal)
      .then(setFilm)
      .catch((err) => !isAbort(err) && setFailed(true));
    return () => ctrl.abort();
  }, [props.film]);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby="film-dialog-title"
      onClose={props.onClose}
      onClick={(e) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (e.target === ref.current) ref.current?.close();
      }}
    >
      <div class="dialog__panel">
        <button type="button" class="dialog__close btn btn--quiet" onClick={() => ref.current?.close()}>
          <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d="M6 6 18 18M18 6 6 18" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
          </svg>
          {t.close}
        </button>
        {film ? (
          <FilmBody film={film} lang={lang} t={t} />
        ) : (
          <p id="film-dialog-title" class="dialog__loading" role="status">
            {failed ? t.detailFailed : t.detailLoading}
          </p>
        )}
      </div>
    </dialog>
  );
}

/** IMDb sometimes gives no name, and the API then shows the person's id: no use to a customer. */
const named = (p: { name: string }) => !/^nm\d+$/.test(p.name);

function FilmBody({ film, lang, t }: { film: FilmDetail; lang: Lang; t: Strings }) {
  const title = titleIn(film, lang);
  const rows: [string, string][] = [];
  if (film.frenchTitle && film.frenchTitle !== title) rows.push([t.frenchTitle, film.frenchTitle]);
  if (film.originalTitle !== title) rows.push([t.originalTitle, film.originalTitle]);
  if (film.year !== null) rows.push([t.year, String(film.year)]);
  if (film.runtimeMinutes !== null) rows.push([t.runtime, `${t.hoursLabel(film.runtimeMinutes)} (${t.minutesLong(film.runtimeMinutes)})`]);
  if (film.genres.length > 0) rows.push([t.genresLabel, film.genres.map((g) => genreName(g, lang)).join(', ')]);
  const directors = film.directors.filter(named);
  const cast = film.cast.filter(named);
  if (directors.length > 0) rows.push([t.directedBy, directors.map((d) => d.name).join(', ')]);
  if (cast.length > 0) rows.push([t.cast, cast.slice(0, 6).map((c) => c.name).join(', ')]);
  if (film.rating !== null) rows.push([t.rating, t.ratingValue(film.rating, film.votes)]);
  return (
    <article class="detail">
      <div class="detail__poster">
        <Poster poster={film.poster} title={title} year={film.year} tconst={film.tconst} size="large" />
      </div>
      <div class="detail__text">
        <h2 id="film-dialog-title" class="detail__title">
          {title}
        </h2>
        <dl class="detail__facts">
          {rows.map(([k, v]) => (
            <div key={k} class="detail__fact">
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <h3 class="detail__overview-title">{lang === 'fr' && film.overview ? t.overviewEnglish : t.overview}</h3>
        {film.overview ? (
          <p class="detail__overview" lang="en">
            {film.overview}
          </p>
        ) : (
          <p class="detail__overview">{t.noOverview}</p>
        )}
      </div>
    </article>
  );
}
