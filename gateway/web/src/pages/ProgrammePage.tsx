import type { Api } from '../api';
import type { Chosen } from '../components/Chips';
import { ProgrammeView } from '../components/Programme';

/**
 * "À l'affiche", the page's tab: what plays this week and next (the view the widget shows too).
 * Its schema.org JSON-LD is in the HTML the gateway sends for /programme, for search engines.
 */
export function ProgrammePage(props: { api: Api; english: boolean; liked: Chosen[]; disliked: Chosen[]; onChangeTaste: (e: MouseEvent) => void }) {
  return (
    // The programme is written in French whatever the page's language: the cinema's own words.
    <section class="programme" aria-labelledby="programme-heading" lang={props.english ? 'fr' : undefined}>
      <h2 id="programme-heading" class="page-title">
        À l’affiche
      </h2>
      <ProgrammeView
        api={props.api}
        liked={props.liked}
        disliked={props.disliked}
        changeTaste={
          <a href="/" onClick={(e) => props.onChangeTaste(e as unknown as MouseEvent)}>
            Changer mes films
          </a>
        }
      />
    </section>
  );
}
