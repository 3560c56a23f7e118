import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runToEnd } from '@cine/common/testing';

const REPO_ROOT = resolve(__dirname, '../..');
const DEPCRUISE = resolve(REPO_ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The architecture's import rules (.dependency-cruiser.cjs) over `paths`, run from `cwd`. */
async function cruise(cwd: string, paths: string[]): Promise<Violation[]> {
  const result = await runToEnd(process.execPath, [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...paths], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: '' },
    timeoutMs: 60_000,
  });
  if (!result.stdout) throw new Error(`depcruise gave no report: ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

describe('the architecture import rules', () => {
  it('hold over the whole repository: no reach into another package, services apart, migrations alone, no cycle', async () => {
    const violations = await cruise(REPO_ROOT, ['common', 'db', 'services', 'gateway', 'analysis', 'infra']);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
  });

  it('catch each kind of violation (the rules are not vacuous)', async () => {
    // A small tree shaped like the repository, breaking one rule per file.
    const dir = mkdtempSync(join(tmpdir(), 'cine-boundaries-'));
    try {
      cpSync(resolve(REPO_ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', target: 'es2022' } }),
        'services/recommender/package.json': JSON.stringify({ name: '@cine/recommender', main: 'src/index.ts' }),
        'services/recommender/src/index.ts': 'export const model = 1;\n',
        'gateway/src/uses-service.ts': "import { model } from '@cine/recommender';\nexport const z = model;\n",
        'services/recommender/src/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'services/recommender/src/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
        'gateway/src/reach.ts': "import { model } from '../../services/recommender/src/index';\nexport const x = model;\n",
        'db/src/migrations/20990101000000_late.ts': "import { model } from '../../../services/recommender/src/index';\nexport const y = model;\n",
      };
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      }
      // A workspace package, linked as npm links it.
      mkdirSync(join(dir, 'node_modules/@cine'), { recursive: true });
      symlinkSync('../../services/recommender', join(dir, 'node_modules/@cine/recommender'));
      const found = (await cruise(dir, ['services', 'gateway', 'db'])).map((v) => `${v.rule.name}: ${v.from}`);
      // A cycle is reported from the file where the cruise entered it.
      const cycles = found.filter((f) => f.startsWith('no-circular: '));
      expect(cycles.length).toBeGreaterThan(0);
      expect(cycles.every((c) => /services\/recommender\/src\/[ab]\.ts$/.test(c))).toBe(true);
      expect(new Set(found.filter((f) => !f.startsWith('no-circular: ')))).toEqual(
        new Set([
          'no-reaching-into-another-package: gateway/src/reach.ts',
          'no-reaching-into-another-package: db/src/migrations/20990101000000_late.ts',
          'migrations-import-no-code: db/src/migrations/20990101000000_late.ts',
          'gateway-imports-no-other-service: gateway/src/uses-service.ts',
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
