import type { Api } from '../api';
import { type Chosen, Chips } from '../components/Chips';
import { SearchBox } from '../components/SearchBox';
import { type Lang, STRINGS } from '../i18n';
import type { SubscriptionStrings } from './strings';

export interface FilmChoice {
  liked: Chosen[];
  disliked: Chosen[];
}

/**
 * The films of a subscription with the page's own picker: the forgiving search, then chips. A
 * film moves from one list to the other when picked there, as on the suggestions page.
 */
export function FilmLists(props: { id: string; api: Api; lang: Lang; s: SubscriptionStrings; value: FilmChoice; onChange: (v: FilmChoice) => void; invalid?: boolean; help?: string }) {
  const { id, api, lang, s, value, onChange } = props;
  const t = STRINGS[lang];
  const exclude = [...value.liked, ...value.disliked].map((c) => c.tconst);
  const chosen = (h: { tconst: string; title: string; primaryTitle: string; year: number | null }): Chosen => ({ tconst: h.tconst, title: h.title, primaryTitle: h.primaryTitle, year: h.year });
  return (
    <>
      <fieldset
        class="sub-group"
        aria-describedby={[props.help ? `${id}-liked-help` : '', props.invalid ? `${id}-liked-error` : ''].filter(Boolean).join(' ') || undefined}
        aria-invalid={props.invalid ? true : undefined}
      >
        <legend>{s.likedLegend}</legend>
        {props.help && (
          <p id={`${id}-liked-help`} class="sub-help">
            {props.help}
          </p>
        )}
        <SearchBox
          id={`${id}-liked`}
          api={api}
          lang={lang}
          t={t}
          label={s.likedSearch}
          placeholder={t.searchPlaceholder}
          exclude={exclude}
          onPick={(h) => onChange({ liked: [...value.liked, chosen(h)], disliked: value.disliked.filter((c) => c.tconst !== h.tconst) })}
        />
        <Chips
          items={value.liked}
          label={s.likedLegend}
          empty={t.likedNone}
          removeLabel={t.chipRemove}
          onRemove={(tconst) => onChange({ ...value, liked: value.liked.filter((c) => c.tconst !== tconst) })}
          tone="liked"
          fallbackFocusId={`${id}-liked-input`}
          lang={lang}
        />
      </fieldset>
      <details class="more sub-group" open={value.disliked.length > 0}>
        <summary class="more__summary">{s.dislikedLegend}</summary>
        <div class="more__body">
          <SearchBox
            id={`${id}-disliked`}
            api={api}
            lang={lang}
            t={t}
            label={s.dislikedSearch}
            placeholder={t.dislikedPlaceholder}
            exclude={exclude}
            onPick={(h) => onChange({ disliked: [...value.disliked, chosen(h)], liked: value.liked.filter((c) => c.tconst !== h.tconst) })}
          />
          <Chips
            items={value.disliked}
            label={s.dislikedLegend}
            empty={t.dislikedNone}
            removeLabel={t.chipRemove}
            onRemove={(tconst) => onChange({ ...value, disliked: value.disliked.filter((c) => c.tconst !== tconst) })}
            tone="disliked"
            fallbackFocusId={`${id}-disliked-input`}
            lang={lang}
          />
        </div>
      </details>
    </>
  );
}
