import { appendFileSync, readFileSync } from 'node:fs';
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-node';
import { killSpawned } from './processes';

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (ms) of this worker process and of the children it has reaped (what a spec spawned and
 * waited for), from /proc; null where there is no /proc.
 */
function cpuMs(): number | null {
  try {
    // Fields after the command's closing parenthesis: utime, stime, cutime, cstime are 14–17.
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The node environment of every spec: once a spec file is over, after its own afterAll hooks
 * (which may stop what they started gracefully: the soak bench drops its database on SIGTERM),
 * whatever it spawned and left running is killed with its process group.
 *
 * When CINE_SUITE_CPU_FILE is set (scripts/test-tiers.js sets it), it also appends each suite's
 * CPU time to that file as a JSON line: the worker's own and its reaped children's (a jest worker
 * runs one suite at a time), which is what a shorter run has to come from.
 */
export default class TestEnvironmentKillingSpawned extends TestEnvironment {
  private readonly testPath: string;
  private cpuAtSetup: number | null = null;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    this.testPath = context.testPath;
  }

  override async setup(): Promise<void> {
    this.cpuAtSetup = cpuMs();
    await super.setup();
  }

  override async teardown(): Promise<void> {
    killSpawned();
    await super.teardown();
    const file = process.env.CINE_SUITE_CPU_FILE;
    const now = cpuMs();
    if (file && now !== null && this.cpuAtSetup !== null) {
      appendFileSync(file, `${JSON.stringify({ path: this.testPath, cpuMs: now - this.cpuAtSetup })}\n`);
    }
  }
}
