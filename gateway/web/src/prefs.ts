import { useEffect, useState } from 'preact/hooks';
import type { Lang } from './i18n';

/** Choices the customer makes once and finds again next visit (localStorage may be refused). */
function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode: the choice lasts for this visit only.
  }
}

export function usePersisted<T extends string>(key: string, allowed: readonly T[], fallback: T): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => {
    const stored = read(key);
    return allowed.includes(stored as T) ? (stored as T) : fallback;
  });
  useEffect(() => write(key, value), [key, value]);
  return [value, setValue];
}

export const LANGS: readonly Lang[] = ['fr', 'en'];
export const SIZES = ['normal', 'large'] as const;
