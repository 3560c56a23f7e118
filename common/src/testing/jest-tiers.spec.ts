import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
// The matcher jest itself applies to `testMatch` (jest-util comes with jest).
import { globsToMatcher } from 'jest-util';

/**
 * Every spec in the repository runs in exactly one tier: a spec no tier matches would silently
 * never run, one matched twice would run twice in `npm test`.
 */

const ROOT = resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const config = require(join(ROOT, 'jest.config.js')) as { projects: Array<{ displayName: string; testMatch: string[] }> };

function specs(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) specs(path, out);
    else if (entry.name.endsWith('.spec.ts')) out.push(path);
  }
  return out;
}

const tiers = config.projects.map((p) => ({
  name: p.displayName,
  matches: globsToMatcher(p.testMatch.map((g) => g.replace('<rootDir>', ROOT))),
}));

describe('test tiers (jest.config.js projects)', () => {
  it('are unit, integration, browser and infra', () => {
    expect(tiers.map((t) => t.name)).toEqual(['unit', 'integration', 'browser', 'infra']);
  });

  it('hold every spec exactly once', () => {
    const all = specs(ROOT);
    expect(all.length).toBeGreaterThan(50);
    const wrong = all
      .map((path) => ({ spec: relative(ROOT, path), in: tiers.filter((t) => t.matches(path)).map((t) => t.name) }))
      .filter((s) => s.in.length !== 1);
    expect(wrong).toEqual([]);
  });

  it('put the specs where the rules say: beside the code is unit, under test/ integration, the browser and infra apart', () => {
    const tierOf = (spec: string) => tiers.filter((t) => t.matches(join(ROOT, spec))).map((t) => t.name);
    expect(tierOf('gateway/src/admin/admin.service.spec.ts')).toEqual(['unit']);
    expect(tierOf('gateway/test/admin.spec.ts')).toEqual(['integration']);
    expect(tierOf('db/src/db.factory.spec.ts')).toEqual(['integration']);
    expect(tierOf('gateway/test/browser/widget.spec.ts')).toEqual(['browser']);
    expect(tierOf('infra/test/compose.spec.ts')).toEqual(['infra']);
    expect(tierOf('services/etl-worker/test/etl.cli.spec.ts')).toEqual(['infra']);
  });
});
