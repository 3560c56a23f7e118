import { IMDB_DATASET_NAMES } from '@cine/common';
import type { PostImportState } from './catalogue-status.repository';

/** The situations the public status can describe, each with one fixed sentence. */
export type PublicSituation = 'empty' | 'idle' | 'queued' | 'running' | 'failed' | 'post-import-failed';

export const PUBLIC_MESSAGES: Record<PublicSituation, { fr: string; en: string }> = {
  empty: {
    fr: 'Le catalogue de films n’est pas encore chargé.',
    en: 'The film catalogue is not loaded yet.',
  },
  idle: { fr: 'Le catalogue est à jour.', en: 'The catalogue is up to date.' },
  queued: { fr: 'Une mise à jour du catalogue va commencer.', en: 'A catalogue update is about to start.' },
  running: { fr: 'Le catalogue est en cours de mise à jour.', en: 'The catalogue is being updated.' },
  failed: {
    fr: 'La dernière mise à jour du catalogue a échoué ; le catalogue proposé n’a pas changé.',
    en: 'The last catalogue update failed; the catalogue offered has not changed.',
  },
  'post-import-failed': {
    fr: 'Le catalogue a été mis à jour, mais le calcul des suggestions et des chiffres a échoué : ils restent ceux du catalogue précédent.',
    en: 'The catalogue was updated, but computing suggestions and figures failed: they still come from the previous catalogue.',
  },
};

const DATASETS = new Set<string>(IMDB_DATASET_NAMES);

/**
 * The running step in public words: an IMDb dataset name, "TMDB", "download <dataset>",
 * "finishing", then "embeddings", "KPI", "post-import", with a percentage while importing. Built from a fixed list, never from the file path or URL
 * the progress carries (a server path, a source's address).
 */
export function publicStep(phase: string | null, file: string | null, percent?: number): string | null {
  if (phase === null) return null;
  let label: string;
  if (DATASETS.has(phase)) label = phase;
  else if (phase === 'tmdb') label = 'TMDB';
  else if (phase === 'download') {
    const dataset = file?.replace(/\.tsv\.gz$/, '') ?? '';
    label = DATASETS.has(dataset) ? `download ${dataset}` : 'download';
  } else if (phase === 'finishing') label = 'finishing';
  else if (phase === 'build-embeddings') label = 'embeddings';
  else if (phase === 'refresh-kpis') label = 'KPI';
  else if (phase === 'post-import') label = 'post-import';
  else label = 'import';
  return percent === undefined ? label : `${label} ${percent} %`;
}

/**
 * The readiness check's words for the steps after the last swap. Public like the status: the
 * state and its time, never the error (the admin run view and the worker's logs have it).
 */
export function describePostImport(state: PostImportState | null): string {
  if (state === null) return 'no catalogue swapped since post-import steps are tracked';
  const at = state.at ? ` since ${state.at.toISOString()}` : '';
  switch (state.status) {
    case 'failed':
      return `post-import failed${at}: embeddings and KPI figures still come from the previous catalogue`;
    case 'pending':
    case 'running':
      return `post-import ${state.status}${at}: embeddings and KPI figures are being rebuilt`;
    default:
      return `post-import succeeded${at}`;
  }
}
