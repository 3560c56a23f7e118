import { GENRES, type Lang, type Strings } from '../i18n';

export interface FilterState {
  genres: string[];
  decades: number[];
  maxRuntime: number | null;
  frenchOnly: boolean;
  discovery: boolean;
}

export const NO_FILTERS: FilterState = { genres: [], decades: [], maxRuntime: null, frenchOnly: false, discovery: false };

const DECADES = [1950, 1960, 1970, 1980, 1990, 2000, 2010, 2020];
/** "before 1950" stands for every decade before it. */
const OLD_DECADES = [1900, 1910, 1920, 1930, 1940];
const RUNTIMES = [90, 105, 120, 150];

function toggle<T>(list: T[], v: T): T[] {
  return list.includes(v) ? list.filter((x) => x !== v) : [...list, v];
}

export function filterCount(f: FilterState): number {
  return f.genres.length + f.decades.length + (f.maxRuntime !== null ? 1 : 0) + (f.frenchOnly ? 1 : 0) + (f.discovery ? 1 : 0);
}

/** Genres, eras, length, French films and the "Découverte" switch, as plain form controls. */
export function Filters(props: { value: FilterState; onChange: (f: FilterState) => void; lang: Lang; t: Strings }) {
  const { value: f, onChange, lang, t } = props;
  const oldChecked = OLD_DECADES.every((d) => f.decades.includes(d));
  return (
    <div class="filters">
      <div class="filters__switches">
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            checked={f.discovery}
            aria-describedby="discovery-help"
            onChange={(e) => onChange({ ...f, discovery: (e.currentTarget as HTMLInputElement).checked })}
          />
          <span class="switch__track" aria-hidden="true" />
          <span class="switch__label">{t.discovery}</span>
        </label>
        <p id="discovery-help" class="filters__help">
          {t.discoveryHelp}
        </p>
        <label class="check">
          <input type="checkbox" checked={f.frenchOnly} onChange={(e) => onChange({ ...f, frenchOnly: (e.currentTarget as HTMLInputElement).checked })} />
          <span>{t.frenchOnly}</span>
        </label>
      </div>

      <fieldset class="filters__group">
        <legend>{t.genres}</legend>
        <div class="filters__options">
          {GENRES.map((g) => (
            <label key={g.id} class="pill">
              <input type="checkbox" checked={f.genres.includes(g.id)} onChange={() => onChange({ ...f, genres: toggle(f.genres, g.id) })} />
              <span>{g[lang]}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset class="filters__group">
        <legend>{t.decades}</legend>
        <div class="filters__options">
          <label class="pill">
            <input
              type="checkbox"
              checked={oldChecked}
              onChange={() =>
                onChange({ ...f, decades: oldChecked ? f.decades.filter((d) => !OLD_DECADES.includes(d)) : [...new Set([...f.decades, ...OLD_DECADES])] })
              }
            />
            <span>{t.decadeLabelOld(1940)}</span>
          </label>
          {DECADES.map((d) => (
            <label key={d} class="pill">
              <input type="checkbox" checked={f.decades.includes(d)} onChange={() => onChange({ ...f, decades: toggle(f.decades, d) })} />
              <span>{t.decadeLabel(d)}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <div class="filters__group">
        <label class="filters__select-label" for="max-runtime">
          {t.maxRuntime}
        </label>
        <select
          id="max-runtime"
          class="select"
          value={f.maxRuntime === null ? '' : String(f.maxRuntime)}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value;
            onChange({ ...f, maxRuntime: v === '' ? null : Number(v) });
          }}
        >
          <option value="">{t.anyRuntime}</option>
          {RUNTIMES.map((m) => (
            <option key={m} value={String(m)}>
              {t.hoursLabel(m)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
