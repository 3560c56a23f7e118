import type { SubscriptionPreferences } from '@cine/common/contracts';
import type { SubscriptionStrings } from './strings';

type What = 'alerts' | 'digest' | 'both';

const whatOf = (p: SubscriptionPreferences): What => (p.alerts && p.digest ? 'both' : p.alerts ? 'alerts' : 'digest');

export const DEFAULT_PREFERENCES: SubscriptionPreferences = { alerts: true, digest: true };

/**
 * What to receive and which séances: one choice among three (never "nothing": that is a pause),
 * then versions, accessibility and afternoons as plain checkboxes, each with its label. The form
 * and the manage page both use it; `id` keeps the page's and the widget's ids apart.
 */
export function PreferencesFields(props: { id: string; value: SubscriptionPreferences; onChange: (p: SubscriptionPreferences) => void; s: SubscriptionStrings }) {
  const { id, value: p, onChange, s } = props;
  const what = whatOf(p);
  const versions = p.versions ?? [];
  const toggleVersion = (v: 'VF' | 'VOST') => {
    const next = versions.includes(v) ? versions.filter((x) => x !== v) : [...versions, v];
    onChange({ ...p, versions: next });
  };
  const check = (key: string, label: string, checked: boolean, change: (checked: boolean) => void) => (
    <label class="sub-check" for={`${id}-${key}`}>
      <input id={`${id}-${key}`} type="checkbox" checked={checked} onChange={(e) => change((e.currentTarget as HTMLInputElement).checked)} />
      <span>{label}</span>
    </label>
  );
  return (
    <>
      <fieldset class="sub-group">
        <legend>{s.whatLegend}</legend>
        {(
          [
            ['alerts', s.whatAlerts],
            ['digest', s.whatDigest],
            ['both', s.whatBoth],
          ] as const
        ).map(([w, label]) => (
          <label key={w} class="sub-check" for={`${id}-what-${w}`}>
            <input
              id={`${id}-what-${w}`}
              type="radio"
              name={`${id}-what`}
              checked={what === w}
              onChange={() => onChange({ ...p, alerts: w !== 'digest', digest: w !== 'alerts' })}
            />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <fieldset class="sub-group">
        <legend>{s.versionsLegend}</legend>
        {check('vf', s.versionVF, versions.includes('VF'), () => toggleVersion('VF'))}
        {check('vost', s.versionVOST, versions.includes('VOST'), () => toggleVersion('VOST'))}
      </fieldset>
      <fieldset class="sub-group">
        <legend>{s.accessLegend}</legend>
        {check('sme', s.accessSME, p.accessibility?.sme === true, (c) => onChange({ ...p, accessibility: { ...p.accessibility, sme: c } }))}
        {check('ad', s.accessAD, p.accessibility?.ad === true, (c) => onChange({ ...p, accessibility: { ...p.accessibility, ad: c } }))}
        {check('afternoon', s.afternoonOnly, p.afternoonOnly === true, (c) => onChange({ ...p, afternoonOnly: c }))}
      </fieldset>
    </>
  );
}
