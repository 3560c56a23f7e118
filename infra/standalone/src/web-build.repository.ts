import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { WEB_BUILD_SCRIPT as BUILD_SCRIPT } from '@cine/gateway/web';

/**
 * The customer page is a Vite bundle (gateway/web/dist), built by `npm run build:web` and not kept
 * in git. A fresh clone's `npm start` builds it once, in a child process, while the boot server
 * already answers; later starts find it built.
 */
export class WebBuildRepository {
  constructor(private readonly webRoot: string) {}

  isBuilt(): boolean {
    return existsSync(resolve(this.webRoot, 'index.html'));
  }

  /** Resolves with null once built, or with the reason it could not be (vite absent, a build error). */
  build(): Promise<string | null> {
    if (!existsSync(BUILD_SCRIPT)) return Promise.resolve(`${BUILD_SCRIPT} not found`);
    return new Promise((resolveBuild) => {
      const output: string[] = [];
      const child = spawn(process.execPath, [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (c: Buffer) => output.push(c.toString()));
      child.stderr.on('data', (c: Buffer) => output.push(c.toString()));
      child.once('error', (err) => resolveBuild(err.message));
      child.once('exit', (code) => resolveBuild(code === 0 && this.isBuilt() ? null : output.join('').trim().split('\n').slice(-3).join(' ') || `exit ${code}`));
    });
  }
}
