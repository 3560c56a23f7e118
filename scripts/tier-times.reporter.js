/**
 * A jest reporter that keeps, for each suite, its tier (the project's display name), when it
 * started and ended and whether it passed, and writes them as JSON to the file named by
 * CINE_TIER_TIMES_FILE when the run completes. scripts/test-tiers.js runs every tier in one jest
 * run (the workers are never idle between tiers) and prints each tier's span and busy time from
 * this file. Without the variable it does nothing.
 */
const { writeFileSync } = require('node:fs');

class TierTimesReporter {
  constructor() {
    this.file = process.env.CINE_TIER_TIMES_FILE;
    this.suites = [];
  }

  onTestResult(test, result) {
    if (!this.file) return;
    const name = test.context.config.displayName;
    this.suites.push({
      tier: typeof name === 'string' ? name : (name?.name ?? 'default'),
      path: result.testFilePath,
      start: result.perfStats.start,
      end: result.perfStats.end,
      failed: result.numFailingTests > 0 || Boolean(result.testExecError),
    });
  }

  onRunComplete() {
    if (this.file) writeFileSync(this.file, JSON.stringify(this.suites));
  }

  getLastError() {
    return undefined;
  }
}

module.exports = TierTimesReporter;
