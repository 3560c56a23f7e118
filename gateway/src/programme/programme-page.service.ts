import { addDays, toLocal, weekStartOfDate } from './cinema-time';
import type { ProgrammeService } from './programme.service';
import { programmeJsonLd } from './screening-json-ld';

export interface ProgrammePageOptions {
  cinemaName: string;
  timeZone: string;
  now?: () => Date;
}

/**
 * What the server puts in the HTML of `/programme` for search engines: the schema.org graph of
 * the séances "À l'affiche" lists (today to the Tuesday ending next week), read by the same
 * query as `GET /api/v1/screenings`.
 */
export class ProgrammePageService {
  constructor(
    private readonly programme: ProgrammeService,
    private readonly opts: ProgrammePageOptions,
  ) {}

  /** `pageUrl`: the absolute address of /programme, the theater's `@id` and the base of its links. */
  async jsonLd(pageUrl: string): Promise<Record<string, unknown>> {
    const today = toLocal(this.opts.now?.() ?? new Date(), this.opts.timeZone).date;
    const { items } = await this.programme.published({ from: today, to: addDays(weekStartOfDate(today), 13) });
    return programmeJsonLd({ name: this.opts.cinemaName, url: pageUrl }, items);
  }
}
