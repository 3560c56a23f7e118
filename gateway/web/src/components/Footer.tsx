import { type Lang, STRINGS, type Strings } from '../i18n';

/**
 * The credits the data's terms ask for: TMDB's notice, IMDb's attribution for its non-commercial
 * datasets. In French, the official English wording follows the translation.
 */
export function Footer({ lang, t, privacyHref, onPrivacy }: { lang: Lang; t: Strings; privacyHref: string; onPrivacy: (e: MouseEvent) => void }) {
  const [before, after] = t.footerImdb.split(' (https://www.imdb.com)');
  return (
    <footer class="foot">
      <p class="foot__about">{t.footerAbout}</p>
      <p>
        <a href={privacyHref} onClick={(e) => onPrivacy(e as unknown as MouseEvent)}>
          {t.footerPrivacy}
        </a>
      </p>
      <p>
        {before} (<a href="https://www.imdb.com">https://www.imdb.com</a>){after}
      </p>
      <p>{t.footerTmdb}</p>
      {lang !== 'en' && (
        <p class="foot__original" lang="en">
          {STRINGS.en.footerImdb} {STRINGS.en.footerTmdb}
        </p>
      )}
    </footer>
  );
}
