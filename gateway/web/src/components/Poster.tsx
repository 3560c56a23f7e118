import { useState } from 'preact/hooks';
import type { PosterUrls } from '../../../../common/src/contracts/api.contract';

/** A deterministic, calm hue per film, so placeholders side by side are told apart. */
function hueOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) % 360;
  return h;
}

/**
 * A TMDB poster at the size the layout needs, or, when there is none or it fails to load
 * (offline install, TMDB away), a placeholder that shows the title. Decorative: the title is
 * always written next to it, so screen readers skip both.
 */
export function Poster(props: {
  poster: PosterUrls | null;
  title: string;
  year: number | null;
  tconst: string;
  size: 'small' | 'card' | 'large';
}) {
  const [failed, setFailed] = useState(false);
  const { poster, size } = props;
  const cls = `poster poster--${size}`;
  if (!poster || failed) {
    const hue = hueOf(props.tconst);
    return (
      <div class={`${cls} poster--placeholder`} aria-hidden="true" style={{ '--ph-hue': String(hue) }} data-placeholder="">
        {size !== 'small' && (
          <>
            <span class="poster__title">{props.title}</span>
            {props.year !== null && <span class="poster__year">{props.year}</span>}
          </>
        )}
      </div>
    );
  }
  const sizes = size === 'small' ? '48px' : size === 'card' ? '(max-width: 600px) 45vw, 220px' : '(max-width: 600px) 60vw, 320px';
  return (
    <img
      class={cls}
      src={size === 'small' ? poster.w185 : poster.w342}
      srcset={`${poster.w185} 185w, ${poster.w342} 342w, ${poster.w500} 500w`}
      sizes={sizes}
      alt=""
      loading="lazy"
      decoding="async"
      onError={() => setFailed(true)}
    />
  );
}
