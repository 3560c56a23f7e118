import type { FilmAudience, ReasonPart } from '@cine/common';
import type { RecommenderClient } from '../recommendations/recommender.repository';
import { fitsTaste } from '../recommendations/taste-fit';
import type { AudienceSource } from './audience-source';

export const NO_AUDIENCE_MESSAGE =
  "Pas encore de données d'audience : des visites, le service ne garde que des totaux par film et par paire de films, pas la liste de chaque visiteur.";
/** The subscribers' source with no confirmed subscriber yet: the figures are zeros, and say why. */
export const NO_SUBSCRIBERS_MESSAGE =
  "Pas encore d'abonné confirmé aux alertes : l'audience d'un film se compte sur les films aimés des abonnés, dès qu'il y en a.";
/** Reasons shown, most given first. */
const TOP_REASONS = 5;
/** Tastes scored at once: the recommender's cores are shared with the customers. */
const CONCURRENCY = 4;

/**
 * How many known tastes a film fits (the programme's "pour vous" rule, taste-fit.ts) and which
 * reasons come up most. Each taste is one recommender request scoring this one film
 * (`candidates: [tconst]`): a few hundred subscribers are a few hundred small calls, a few at a
 * time. The plan, when the sources grow: a batch call in the recommender scoring one film for
 * many profiles at once (docs/programme.md).
 */
export class AudienceService {
  constructor(
    private readonly source: AudienceSource,
    private readonly recommender: RecommenderClient,
  ) {}

  async audience(tconst: string, requestId?: string): Promise<FilmAudience> {
    const tastes = await this.source.tastes();
    if (tastes.kind === 'none') return { tconst, tastes: 0, fits: 0, reasons: [], source: this.source.name, message: NO_AUDIENCE_MESSAGE };
    const lists = tastes.lists.filter((l) => l.length > 0);
    if (lists.length === 0) return { tconst, tastes: 0, fits: 0, reasons: [], source: this.source.name, message: NO_SUBSCRIBERS_MESSAGE };
    const fitting: ReasonPart[][] = [];
    let next = 0;
    const worker = async () => {
      while (next < lists.length) {
        const liked = lists[next++]!;
        const answer = await this.recommender.recommend({ liked, candidates: [tconst] }, requestId);
        const item = answer.items.find((i) => i.tconst === tconst);
        if (item && fitsTaste(answer, item)) fitting.push(item.reasons);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, lists.length) }, worker));
    return { tconst, tastes: lists.length, fits: fitting.length, reasons: topReasons(fitting), source: this.source.name };
  }
}

/** Each value of each part counted once per taste; most given first, then by name. */
export function topReasons(perTaste: readonly ReasonPart[][]): FilmAudience['reasons'] {
  const counts = new Map<string, { kind: ReasonPart['kind']; value: string; count: number }>();
  for (const parts of perTaste) {
    const seen = new Set<string>();
    for (const part of parts) {
      for (const value of part.values) {
        const key = `${part.kind}\u0000${value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const entry = counts.get(key) ?? { kind: part.kind, value, count: 0 };
        entry.count += 1;
        counts.set(key, entry);
      }
    }
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind) || a.value.localeCompare(b.value)).slice(0, TOP_REASONS);
}
