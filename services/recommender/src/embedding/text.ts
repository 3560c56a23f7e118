/**
 * Overview words as features. TMDB overviews are English in the samples and may be French in a
 * French source, so both stop-word lists apply. Words are folded (case, accents) and a plural
 * "s" is dropped so "gangsters" and "gangster" meet; nothing cleverer pays on a few sentences.
 */
const STOP_WORDS = new Set(
  (
    // English
    'a about above after again against all also am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself ' +
    'one two three four five new get gets take takes make makes find finds must way back first last year years life lives time world story film movie young old man woman men women when becomes become ' +
    // French
    'au aux avec ce ces cet cette dans de des du elle elles en est et eux il ils je la le les leur leurs lui ma mais me meme mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos votre vous sont ont etre avoir fait plus tout tous toute toutes comme apres avant deux trois entre sans sous chez alors aussi bien tres encore jamais'
  ).split(/\s+/),
);

export function overviewWords(text: string | null): string[] {
  if (!text) return [];
  const folded = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const out: string[] = [];
  for (const raw of folded.split(/[^a-z]+/)) {
    if (raw.length < 3 || STOP_WORDS.has(raw)) continue;
    const word = raw.length > 4 && raw.endsWith('s') && !raw.endsWith('ss') ? raw.slice(0, -1) : raw;
    if (!STOP_WORDS.has(word)) out.push(word);
  }
  return out;
}
