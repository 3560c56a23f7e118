import type { SubscriptionPreferences } from '@cine/common';
import { cinemaWeekOf, localClock } from './cinema-time';
import type { FilmScore, ProgrammedFilm, ProgrammedScreening, SubscriberTaste, TasteScores } from './matching.contract';
import { alertKey, buildDigest, digestKey, eligibleScreenings, isEligible, planAlerts } from './matching.rules';

const NOW = new Date('2026-12-09T09:00:00Z'); // Wednesday 10:00 in Paris

let ids = 0;
function seance(startsAt: string, over: Partial<ProgrammedScreening> = {}): ProgrammedScreening {
  ids++;
  return { id: `s${ids}`, startsAt, room: 'Salle 1', version: 'VF', accessibility: { sme: false, ad: false }, status: 'scheduled', icsUrl: `https://cine.example/ics/s${ids}`, bookingUrl: null, ...over };
}

function film(tconst: string, screenings: ProgrammedScreening[]): ProgrammedFilm {
  return { tconst, title: `Titre ${tconst}`, year: 2026, posterUrl: `https://cine.example/posters/${tconst}.jpg`, screenings };
}

function scored(tconst: string, score: number): FilmScore {
  return { tconst, score, reason: { fr: `Parce que ${tconst}`, en: `Because ${tconst}` }, reasons: [{ kind: 'genres', values: ['Drama'] }] };
}

const prefs = (over: Partial<SubscriptionPreferences> = {}): SubscriptionPreferences => ({ alerts: true, digest: true, ...over });
const taste = (over: Partial<SubscriberTaste> = {}): SubscriberTaste => ({ subscriberId: 'sub-1', liked: ['tt0000001'], disliked: [], preferences: prefs(), ...over });
const evening = (day: number) => `2026-12-${String(day).padStart(2, '0')}T19:30:00Z`; // 20:30 in Paris

describe('séance eligibility', () => {
  it('keeps scheduled future séances only', () => {
    expect(isEligible(seance(evening(10)), prefs(), NOW)).toBe(true);
    expect(isEligible(seance(evening(10), { status: 'cancelled' }), prefs(), NOW)).toBe(false);
    expect(isEligible(seance('2026-12-09T08:59:00Z'), prefs(), NOW)).toBe(false);
    expect(isEligible(seance(NOW.toISOString()), prefs(), NOW)).toBe(false);
  });

  it('follows the versions and the accessibility asked for', () => {
    const vost = seance(evening(10), { version: 'VOST' });
    const vf = seance(evening(10), { version: 'VF' });
    expect(isEligible(vost, prefs({ versions: ['VOST', 'VO'] }), NOW)).toBe(true);
    expect(isEligible(vf, prefs({ versions: ['VOST', 'VO'] }), NOW)).toBe(false);
    expect(isEligible(vf, prefs({ versions: [] }), NOW)).toBe(true);
    const sme = seance(evening(10), { accessibility: { sme: true, ad: false } });
    const both = seance(evening(10), { accessibility: { sme: true, ad: true } });
    expect(isEligible(sme, prefs({ accessibility: { sme: true } }), NOW)).toBe(true);
    expect(isEligible(sme, prefs({ accessibility: { sme: true, ad: true } }), NOW)).toBe(false);
    expect(isEligible(both, prefs({ accessibility: { sme: true, ad: true } }), NOW)).toBe(true);
    expect(isEligible(seance(evening(10)), prefs({ accessibility: { ad: true } }), NOW)).toBe(false);
    // Not asking for a feature does not exclude séances that have it.
    expect(isEligible(both, prefs({ accessibility: { sme: false, ad: false } }), NOW)).toBe(true);
  });

  it('"afternoon only" is before 18:00 in Paris, on either side of the October clock change', () => {
    const before = new Date('2026-10-01T00:00:00Z');
    const afternoon = prefs({ afternoonOnly: true });
    // Saturday 24 October 2026, summer time (UTC+2): 15:59Z is 17:59, 16:00Z is 18:00, 16:30Z is 18:30.
    expect(isEligible(seance('2026-10-24T15:59:00Z'), afternoon, before)).toBe(true);
    expect(isEligible(seance('2026-10-24T16:00:00Z'), afternoon, before)).toBe(false);
    expect(isEligible(seance('2026-10-24T16:30:00Z'), afternoon, before)).toBe(false);
    // Monday 26 October, winter time (UTC+1): the same 16:30Z is 17:30, 17:00Z is 18:00.
    expect(isEligible(seance('2026-10-26T16:30:00Z'), afternoon, before)).toBe(true);
    expect(isEligible(seance('2026-10-26T17:00:00Z'), afternoon, before)).toBe(false);
    // Sunday 25, the day of the change (03:00 → 02:00): 16:59Z is 17:59 local.
    expect(isEligible(seance('2026-10-25T16:59:00Z'), afternoon, before)).toBe(true);
    expect(localClock(new Date('2026-10-25T16:59:00Z'))).toEqual({ date: '2026-10-25', hour: 17, minute: 59 });
    // Written with an offset, as the programme writes them.
    expect(isEligible(seance('2026-10-26T17:45:00+01:00'), afternoon, before)).toBe(true);
    expect(isEligible(seance('2026-10-24T18:15:00+02:00'), afternoon, before)).toBe(false);
  });

  it('lists the eligible séances of a film in start order', () => {
    const late = seance(evening(12));
    const early = seance(evening(10));
    const cancelled = seance(evening(11), { status: 'cancelled' });
    expect(eligibleScreenings(film('tt0000002', [late, cancelled, early]), prefs(), NOW).map((s) => s.id)).toEqual([early.id, late.id]);
  });
});

describe('the cinema week and the ledger keys', () => {
  it('names a week by the local date of its Wednesday', () => {
    expect(cinemaWeekOf(new Date('2026-12-09T11:00:00Z'))).toBe('2026-12-09'); // Wednesday
    expect(cinemaWeekOf(new Date('2026-12-15T22:30:00Z'))).toBe('2026-12-09'); // Tuesday 23:30
    // Wednesday 00:30 in Paris is still Tuesday in UTC.
    expect(cinemaWeekOf(new Date('2026-12-15T23:30:00Z'))).toBe('2026-12-16');
    // Across the October change: Sunday 25 is in the week of Wednesday 21.
    expect(cinemaWeekOf(new Date('2026-10-25T23:30:00Z'))).toBe('2026-10-21');
    expect(cinemaWeekOf(new Date('2026-10-27T22:59:00Z'))).toBe('2026-10-21'); // Tuesday 23:59 winter time
    expect(cinemaWeekOf(new Date('2026-10-27T23:00:00Z'))).toBe('2026-10-28');
  });

  it('builds one key per subscriber and film, and per subscriber and week', () => {
    expect(alertKey('sub-1', 'tt0068646')).toBe('alert:sub-1:tt0068646');
    expect(digestKey('sub-1', '2026-12-09')).toBe('digest:sub-1:2026-12-09');
  });
});

describe('alerts', () => {
  // Five programmed films, each with an evening séance; A best, E worst.
  const programme = ['tt0000010', 'tt0000011', 'tt0000012', 'tt0000013', 'tt0000014'].map((t, i) => film(t, [seance(evening(10 + i))]));
  const [A, B, C, D] = programme.map((f) => f.tconst) as [string, string, string, string, string];
  const scores = (fitScore: number | null, films: FilmScore[]): TasteScores => ({ subscriberId: 'sub-1', fitScore, films });
  const ranked = [scored(A, 0.9), scored(B, 0.8), scored(C, 0.7), scored(D, 0.65), scored('tt0000014', 0.1)];
  const rules = { now: NOW, maxPerWeek: 5 };

  it('sends the best films of the period that reach the taste threshold, best first, ready for the email', () => {
    const out = planAlerts({ taste: taste(), scores: scores(0.75, ranked), films: programme, sentThisWeek: 0 }, rules);
    expect(out.map((f) => f.tconst)).toEqual([A, B]);
    expect(out[0]).toEqual({
      tconst: A,
      title: `Titre ${A}`,
      year: 2026,
      score: 0.9,
      reason: { fr: `Parce que ${A}`, en: `Because ${A}` },
      reasons: [{ kind: 'genres', values: ['Drama'] }],
      posterUrl: `https://cine.example/posters/${A}.jpg`,
      screenings: [{ id: programme[0]!.screenings[0]!.id, startsAt: evening(10), room: 'Salle 1', version: 'VF', accessibility: { sme: false, ad: false }, icsUrl: programme[0]!.screenings[0]!.icsUrl, bookingUrl: null }],
    });
  });

  it('only among the top 3 of the programme: a 4th film above the threshold waits; bestOf is configurable', () => {
    const low = scores(0.6, ranked);
    expect(planAlerts({ taste: taste(), scores: low, films: programme, sentThisWeek: 0 }, rules).map((f) => f.tconst)).toEqual([A, B, C]);
    expect(planAlerts({ taste: taste(), scores: low, films: programme, sentThisWeek: 0 }, { ...rules, bestOf: 4 }).map((f) => f.tconst)).toEqual([A, B, C, D]);
    expect(planAlerts({ taste: taste(), scores: low, films: programme, sentThisWeek: 0 }, { ...rules, bestOf: 1 }).map((f) => f.tconst)).toEqual([A]);
  });

  it('a film at exactly the threshold fits; none above it, nothing', () => {
    expect(planAlerts({ taste: taste(), scores: scores(0.9, ranked), films: programme, sentThisWeek: 0 }, rules).map((f) => f.tconst)).toEqual([A]);
    expect(planAlerts({ taste: taste(), scores: scores(0.95, ranked), films: programme, sentThisWeek: 0 }, rules)).toEqual([]);
  });

  it('never a liked or disliked film, nor one without a séance the subscriber can go to (which keeps its place in the top 3)', () => {
    const own = taste({ liked: [A], disliked: [B] });
    expect(planAlerts({ taste: own, scores: scores(0.6, ranked), films: programme, sentThisWeek: 0 }, rules).map((f) => f.tconst)).toEqual([C, D]);
    const vostOnly = taste({ preferences: prefs({ versions: ['VOST'] }) });
    const withVost = programme.map((f) => (f.tconst === B ? film(B, [seance(evening(11)), seance(evening(12), { version: 'VOST' })]) : f));
    const out = planAlerts({ taste: vostOnly, scores: scores(0.6, ranked), films: withVost, sentThisWeek: 0 }, rules);
    expect(out.map((f) => f.tconst)).toEqual([B]);
    expect(out[0]!.screenings.map((s) => s.version)).toEqual(['VOST']);
    // A film scored but not programmed in the period is no match, and takes no place in the top 3.
    expect(planAlerts({ taste: taste(), scores: scores(0.6, [scored('tt0000099', 2), ...ranked]), films: programme, sentThisWeek: 0 }, rules).map((f) => f.tconst)).toEqual([A, B, C]);
  });

  it('skips films already alerted and keeps to the weekly budget', () => {
    const input = { taste: taste(), scores: scores(0.6, ranked), films: programme };
    expect(planAlerts({ ...input, sentThisWeek: 0, alreadyAlerted: new Set([A]) }, rules).map((f) => f.tconst)).toEqual([B, C]);
    expect(planAlerts({ ...input, sentThisWeek: 1 }, { ...rules, maxPerWeek: 3 }).map((f) => f.tconst)).toEqual([A, B]);
    expect(planAlerts({ ...input, sentThisWeek: 3 }, { ...rules, maxPerWeek: 3 })).toEqual([]);
    expect(planAlerts({ ...input, sentThisWeek: 4 }, { ...rules, maxPerWeek: 3 })).toEqual([]);
  });

  it('nothing with alerts off, paused, or no threshold (nothing liked usable)', () => {
    const input = { scores: scores(0.6, ranked), films: programme, sentThisWeek: 0 };
    expect(planAlerts({ ...input, taste: taste({ preferences: prefs({ alerts: false }) }) }, rules)).toEqual([]);
    expect(planAlerts({ ...input, taste: taste({ preferences: prefs({ paused: true }) }) }, rules)).toEqual([]);
    expect(planAlerts({ ...input, scores: scores(null, ranked), taste: taste() }, rules)).toEqual([]);
  });
});

describe('digest', () => {
  const newRelease = film('tt0000020', [seance(evening(13))]);
  const pastOnly = film('tt0000021', [seance('2026-12-08T19:30:00Z')]);
  const programme = [
    film('tt0000010', [seance(evening(12)), seance('2026-12-10T13:00:00Z', { version: 'VOST', accessibility: { sme: true, ad: false } })]),
    film('tt0000011', [seance(evening(11))]),
    film('tt0000012', [seance(evening(10), { status: 'cancelled' })]),
    newRelease,
    pastOnly,
    film('tt0000013', [seance(evening(14))]),
  ];
  const scores: TasteScores = { subscriberId: 'sub-1', fitScore: null, films: [scored('tt0000011', 0.8), scored('tt0000010', 0.5), scored('tt0000012', 0.9), scored('tt0000021', 0.7), scored('tt0000013', 0.2)] };

  it("ranks the week's films with a séance to go to for the subscriber, reasons and séances included; the unscored follow", () => {
    const out = buildDigest({ taste: taste(), scores, films: programme }, { now: NOW });
    expect(out.map((f) => f.tconst)).toEqual(['tt0000011', 'tt0000010', 'tt0000013', 'tt0000020']);
    expect(out[0]!.reason.fr).toBe('Parce que tt0000011');
    expect(out[1]!.screenings.map((s) => [s.startsAt, s.version, s.accessibility])).toEqual([
      ['2026-12-10T13:00:00Z', 'VOST', { sme: true, ad: false }],
      [evening(12), 'VF', { sme: false, ad: false }],
    ]);
    expect(out[3]).toMatchObject({ tconst: 'tt0000020', score: 0, reason: { fr: '', en: '' }, reasons: [] });
    expect(buildDigest({ taste: taste(), scores, films: programme }, { now: NOW, maxFilms: 2 }).map((f) => f.tconst)).toEqual(['tt0000011', 'tt0000010']);
  });

  it('follows the preferences, leaves out liked and disliked films', () => {
    const out = buildDigest({ taste: taste({ liked: ['tt0000011'], disliked: ['tt0000020'], preferences: prefs({ afternoonOnly: true }) }), scores, films: programme }, { now: NOW });
    expect(out.map((f) => f.tconst)).toEqual(['tt0000010']);
    expect(out[0]!.screenings).toHaveLength(1);
  });

  it('none with the digest off or paused', () => {
    expect(buildDigest({ taste: taste({ preferences: prefs({ digest: false }) }), scores, films: programme }, { now: NOW })).toEqual([]);
    expect(buildDigest({ taste: taste({ preferences: prefs({ paused: true }) }), scores, films: programme }, { now: NOW })).toEqual([]);
  });
});
