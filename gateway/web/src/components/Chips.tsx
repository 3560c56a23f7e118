import { type Lang, titleIn } from '../i18n';

export interface Chosen {
  tconst: string;
  title: string;
  primaryTitle: string;
  year: number | null;
}

/** Picked films as chips; each one's × button names the film it removes. */
/**
 * Removing a chip moves focus to its neighbour, or to `fallbackFocusId` (the search box) when it
 * was the last one, so a keyboard user never lands back at the top of the page.
 */
export function Chips(props: {
  items: Chosen[];
  label: string;
  empty: string;
  removeLabel: (title: string) => string;
  onRemove: (tconst: string) => void;
  tone: 'liked' | 'disliked';
  fallbackFocusId: string;
  lang: Lang;
}) {
  const remove = (e: MouseEvent, tconst: string) => {
    const li = (e.currentTarget as HTMLElement).closest('li');
    const neighbour = (li?.nextElementSibling ?? li?.previousElementSibling)?.querySelector('button') ?? null;
    props.onRemove(tconst);
    const root = (e.currentTarget as HTMLElement).getRootNode() as Document | ShadowRoot;
    requestAnimationFrame(() => (neighbour?.isConnected ? neighbour : (root.getElementById(props.fallbackFocusId) as HTMLElement | null))?.focus());
  };
  if (props.items.length === 0) return <p class="chips__empty">{props.empty}</p>;
  return (
    <ul class={`chips chips--${props.tone}`} aria-label={props.label}>
      {props.items.map((c) => {
        const title = titleIn(c, props.lang);
        return (
          <li key={c.tconst} class="chip">
            <span class="chip__text">
              {title}
              {c.year !== null && <span class="chip__year"> ({c.year})</span>}
            </span>
            <button type="button" class="chip__remove" aria-label={props.removeLabel(c.year !== null ? `${title} (${c.year})` : title)} onClick={(e) => remove(e as unknown as MouseEvent, c.tconst)}>
              <svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M6 6 18 18M18 6 6 18" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
              </svg>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
