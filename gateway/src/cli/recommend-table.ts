import type { RecommendationsResponse } from '@cine/common';

/**
 * The answer as a reader sees it in a terminal: what each entry was understood as, then one
 * line per film: rank, French title, year, and why.
 */
/** `width`: the terminal's columns; reasons are cut to fit (never when printing to a pipe: Infinity). */
export function formatRecommendations(answer: RecommendationsResponse, width = 100): string {
  const lines: string[] = [];
  for (const entry of answer.resolved.liked) {
    lines.push(
      entry.status === 'resolved'
        ? `Vous avez aimé : ${entry.title}${entry.year ? ` (${entry.year})` : ''}${entry.input !== entry.tconst ? `  ← « ${entry.input} »` : ''}`
        : `Introuvable : « ${entry.input} » (ni titre ni identifiant connu parmi les films)`,
    );
  }
  if (answer.coldStart) lines.push('Rien d’utilisable parmi vos films : voici des films bien notés et populaires.');
  if (answer.items.length === 0) {
    lines.push('', 'Aucune recommandation.');
    return `${lines.join('\n')}\n`;
  }
  const titleWidth = Math.min(40, Math.max(12, ...answer.items.map((i) => [...i.title].length)));
  const reasonWidth = Math.max(20, width - titleWidth - 14);
  lines.push('', `${'#'.padStart(2)}  ${'Titre'.padEnd(titleWidth)}  Année  Pourquoi`, `${'─'.repeat(2)}  ${'─'.repeat(titleWidth)}  ─────  ${'─'.repeat(Math.min(reasonWidth, 40))}`);
  answer.items.forEach((item, index) => {
    const year = item.year === null ? '  ?  ' : String(item.year).padEnd(5);
    lines.push(`${String(index + 1).padStart(2)}  ${fit(item.title, titleWidth)}  ${year}  ${fit(item.reason.fr, reasonWidth).trimEnd()}`);
  });
  return `${lines.join('\n')}\n`;
}

function fit(text: string, width: number): string {
  if (!Number.isFinite(width)) return text;
  const chars = [...text];
  return chars.length <= width ? text.padEnd(width) : `${chars.slice(0, width - 1).join('')}…`;
}
