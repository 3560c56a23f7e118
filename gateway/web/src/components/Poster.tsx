import { useState } from 'preact/hooks';
import type { PosterUrls } from '@cine/common/contracts';

/** A deterministic, calm hue per film, so placeholders side by side are told apart. */
function hueOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) % 360;
  return h;
}

/**
 * A TMDB poster at the size the layout needs, drawn over a placeholder that shows the title: the
 * placeholder is what the customer sees while the image loads, when there is none, and when it
 * fails (offline install, TMDB away). Decorative: the title is always written next to it, so
 * screen readers skip both.
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
  const showImage = poster !== null && !failed;
  const sizes = size === 'small' ? '48px' : size === 'card' ? '(max-width: 480px) 38vw, 240px' : '(max-width: 640px) 12rem, 16rem';
  return (
    <div class={`poster poster--${size}`} aria-hidden="true" style={{ '--ph-hue': String(hueOf(props.tconst)) }} data-placeholder={showImage ? undefined : ''}>
      {size !== 'small' && (
        <>
          <span class="poster__title">{props.title}</span>
          {props.year !== null && <span class="poster__year">{props.year}</span>}
        </>
      )}
      {showImage && (
        <img
          class="poster__img"
          src={size === 'small' ? poster.w185 : poster.w342}
          srcset={`${poster.w185} 185w, ${poster.w342} 342w, ${poster.w500} 500w`}
          sizes={sizes}
          alt=""
          loading="lazy"
          decoding="async"
          onError={() => setFailed(true)}
        />
      )}
    </div>
  );
}
