import { createContext } from 'preact';
import { useContext, useState } from 'preact/hooks';
import type { PosterUrls } from '@cine/common/contracts';

/**
 * What the API's poster URLs (the gateway's `/posters/…`, relative) resolve against: nothing on
 * the page (same origin), the gateway's origin in the widget, which lives on the cinema's site.
 */
export const PosterBase = createContext('');

/**
 * The gateway answers a placeholder when it has no poster to give (TMDB away, no poster): a
 * square (gateway/src/posters/poster-image.ts), which no TMDB poster is (2:3); srcset scales both
 * natural sides alike. The page shows its own instead, which names the film.
 */
const isGatewayPlaceholder = (img: HTMLImageElement) => img.naturalWidth > 0 && img.naturalWidth === img.naturalHeight;

/** A deterministic, calm hue per film, so placeholders side by side are told apart. */
function hueOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) % 360;
  return h;
}

/**
 * A poster (kept by the gateway, from TMDB) at the size the layout needs, drawn over a placeholder
 * that shows the title: the placeholder is what the customer sees while the image loads, when
 * there is none, and when it fails (offline install, TMDB away, the gateway's own placeholder). Decorative: the title is always written next to it, so
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
  const base = useContext(PosterBase);
  const at = (url: string) => (base && url.startsWith('/') ? `${base}${url}` : url);
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
          src={at(size === 'small' ? poster.w185 : poster.w342)}
          srcset={`${at(poster.w185)} 185w, ${at(poster.w342)} 342w, ${at(poster.w500)} 500w`}
          sizes={sizes}
          alt=""
          loading="lazy"
          decoding="async"
          onLoad={(event) => isGatewayPlaceholder(event.currentTarget) && setFailed(true)}
          onError={() => setFailed(true)}
        />
      )}
    </div>
  );
}
