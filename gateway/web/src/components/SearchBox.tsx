import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { type Api, isAbort, type SearchHit } from '../api';
import { type Lang, type Strings, titleIn } from '../i18n';
import { Poster } from './Poster';

const DEBOUNCE_MS = 250;
const LIMIT = 8;

type Status = 'idle' | 'loading' | 'done' | 'failed';

/** Where a SearchBox looks films up, and how it shows one suggestion. */
export interface FilmSearchSource<H extends { tconst: string }> {
  search(q: string, limit: number, signal: AbortSignal): Promise<{ items: H[] }>;
  option(hit: H): ComponentChildren;
}

/** The customers' forgiving search of the catalogue, each suggestion with its poster. */
function catalogueSource(api: Api, lang: Lang): FilmSearchSource<SearchHit> {
  return {
    search: (q, limit, signal) => api.search(q, limit, signal),
    option(hit) {
      const title = titleIn(hit, lang);
      // The other name a reader may know the film by: original (fr) or French (en).
      const other = lang === 'en' ? hit.frenchTitle : hit.originalTitle;
      return (
        <>
          <Poster poster={hit.poster} title={title} year={hit.year} tconst={hit.tconst} size="small" />
          <span class="search__text">
            <span class="search__title">{title}</span>
            <span class="search__meta">
              {hit.year ?? '—'}
              {other && other !== title && <span>{` · ${other}`}</span>}
            </span>
          </span>
        </>
      );
    },
  };
}

/**
 * A title search as an ARIA 1.2 combobox: typing asks the forgiving search API (debounced, the
 * previous request aborted), arrows move through the suggestions, Enter picks, Escape closes then
 * clears. Picked films leave the box empty for the next one. It searches the catalogue as
 * customers do, or another `source` (the owner's editor searches every film of the IMDb files).
 */
export function SearchBox<H extends { tconst: string } = SearchHit>(props: {
  id: string;
  api: Api;
  lang: Lang;
  t: Strings;
  label: string;
  placeholder: string;
  exclude: string[];
  onPick: (hit: H) => void;
  /** Text to search as if typed (the "to try" buttons). */
  prefill?: { text: string; n: number } | null;
  /** Another search than the catalogue's; without it, H is SearchHit. */
  source?: FilmSearchSource<H>;
}) {
  const { id, t } = props;
  const source = useRef(props.source ?? (catalogueSource(props.api, props.lang) as unknown as FilmSearchSource<H>)).current;
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<H[]>([]);
  const [status, setStatus] = useState<Status>('idle');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (props.prefill) {
      setQuery(props.prefill.text);
      inputRef.current?.focus();
    }
  }, [props.prefill?.n]);

  useEffect(() => {
    const q = query.trim();
    if (q.length < 2) {
      setHits([]);
      setStatus('idle');
      setOpen(false);
      return;
    }
    const ctrl = new AbortController();
    setStatus('loading');
    const timer = setTimeout(() => {
      source
        .search(q, LIMIT + props.exclude.length, ctrl.signal)
        .then((res) => {
          const fresh = res.items.filter((h) => !props.exclude.includes(h.tconst)).slice(0, LIMIT);
          setHits(fresh);
          setActive(-1);
          setStatus('done');
          setOpen(true);
        })
        .catch((err) => {
          if (isAbort(err)) return;
          setHits([]);
          setStatus('failed');
          setOpen(true);
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctrl.abort();
    };
  }, [query]);

  useEffect(() => {
    if (active < 0) return;
    listRef.current?.querySelector(`#${id}-opt-${active}`)?.scrollIntoView({ block: 'nearest' });
  }, [active]);

  const pick = (hit: H) => {
    props.onPick(hit);
    setQuery('');
    setHits([]);
    setOpen(false);
    setActive(-1);
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const n = hits.length;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (!open && n > 0) setOpen(true);
      if (n > 0) setActive((a) => (a + 1) % n);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (n > 0) setActive((a) => (a <= 0 ? n - 1 : a - 1));
    } else if (e.key === 'Enter') {
      if (open && n > 0) {
        e.preventDefault();
        // Enter without choosing takes the best match: the search already ranked it first.
        pick(hits[active >= 0 ? active : 0]!);
      }
    } else if (e.key === 'Escape') {
      if (open) {
        e.preventDefault();
        setOpen(false);
        setActive(-1);
      } else if (query) {
        e.preventDefault();
        setQuery('');
      }
    }
  };

  const expanded = open && hits.length > 0;
  const listId = `${id}-list`;
  const statusText =
    status === 'loading' ? t.searching : status === 'failed' ? t.searchFailed : status === 'done' ? (hits.length === 0 ? t.noMatch(query.trim()) : t.suggestions(hits.length)) : '';

  return (
    <div class="search" onFocusOut={(e) => {
      const next = (e as FocusEvent).relatedTarget as Node | null;
      if (!next || !(e.currentTarget as HTMLElement).contains(next)) setOpen(false);
    }}>
      <label class="search__label" for={`${id}-input`}>
        {props.label}
      </label>
      <div class="search__field">
        <svg class="search__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <circle cx="10.5" cy="10.5" r="6.5" fill="none" stroke="currentColor" stroke-width="2.4" />
          <path d="M15.5 15.5 21 21" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" />
        </svg>
        <input
          ref={inputRef}
          id={`${id}-input`}
          class="search__input"
          type="text"
          role="combobox"
          autocomplete="off"
          autocapitalize="off"
          spellcheck={false}
          enterKeyHint="search"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-describedby={`${id}-status`}
          aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
          placeholder={props.placeholder}
          value={query}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          onKeyDown={onKeyDown}
          onFocus={() => hits.length > 0 && setOpen(true)}
        />
      </div>
      <ul ref={listRef} id={listId} class="search__list" role="listbox" aria-label={props.label} hidden={!expanded}>
        {hits.map((hit, i) => (
          <li
            key={hit.tconst}
            id={`${id}-opt-${i}`}
            role="option"
            aria-selected={i === active}
            class={`search__option${i === active ? ' is-active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => pick(hit)}
            onMouseMove={() => active !== i && setActive(i)}
          >
            {source.option(hit)}
          </li>
        ))}
      </ul>
      <p id={`${id}-status`} class={`search__status${status === 'failed' || (status === 'done' && hits.length === 0) ? ' is-shown' : ''}`} role="status" aria-live="polite">
        {statusText}
      </p>
    </div>
  );
}
