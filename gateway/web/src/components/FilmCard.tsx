import type { Recommendation } from '../api';
import { formatDecimal, type Lang, type Strings, titleIn } from '../i18n';
import { Poster } from './Poster';

/** "1 h 43" and "★ 8,2" never break across lines. */
const keepTogether = (s: string) => s.replace(/ /g, '\u00a0');

/** One suggestion: poster, title, the facts that decide an evening, and why it was chosen. */
export function FilmCard(props: {
  film: Recommendation;
  lang: Lang;
  t: Strings;
  headingLevel: 'h3' | 'h4';
  onDetails?: (film: Recommendation) => void;
  onNotForMe?: (film: Recommendation) => void;
  onLike?: (film: Recommendation) => void;
}) {
  const { film, lang, t } = props;
  const title = titleIn(film, lang);
  const H = props.headingLevel;
  const facts = [
    film.year !== null ? String(film.year) : null,
    film.runtimeMinutes !== null ? t.hoursLabel(film.runtimeMinutes) : null,
    film.rating !== null ? `★ ${formatDecimal(film.rating, lang)}` : null,
  ]
    .filter((f): f is string => f !== null)
    .map(keepTogether);
  const reason = film.reason[lang].replace(/ ([:;!?»])/g, '\u00a0$1');
  return (
    <li class="card" data-tconst={film.tconst}>
      <div class="card__poster">
        <Poster poster={film.poster} title={title} year={film.year} tconst={film.tconst} size="card" />
      </div>
      <div class="card__body">
        <H class="card__title">{title}</H>
        {facts.length > 0 && <p class="card__facts">{facts.join(' · ')}</p>}
        {reason && <p class="card__reason">{reason}</p>}
        {(props.onDetails || props.onLike || props.onNotForMe) && (
          <div class="card__actions">
            {props.onDetails && (
              <button type="button" class="btn btn--primary" aria-label={t.detailsOf(title)} onClick={() => props.onDetails!(film)}>
                {t.seeDetails}
              </button>
            )}
            {props.onLike && (
              <button type="button" class="btn btn--quiet" aria-label={t.likeTooOf(title)} onClick={() => props.onLike!(film)}>
                {t.likeToo}
              </button>
            )}
            {props.onNotForMe && (
              <button type="button" class="btn btn--quiet" aria-label={t.notForMeOf(title)} onClick={() => props.onNotForMe!(film)}>
                {t.notForMe}
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}
