import type { Logger } from '../logger';

export interface StopOptions {
  /** What the log says the service does on its way out ("interrupting the running import…"). */
  doing?: string;
  /** Past this, the process exits 1 whatever it was waiting for (in-flight requests, a close). */
  graceMs?: number;
  /** The exit code of a clean stop, by signal (the all-in-one answers 130 to Ctrl-C). */
  exitCode?: (signal: NodeJS.Signals) => number;
}

/**
 * Every process stops the same way on SIGTERM or SIGINT: `stop` closes its resources in the
 * service's own order, then the process exits 0 (1 if a close failed or the grace ran out).
 * `on`, not `once`: npm forwards the signal it got to its child, which the terminal (or a
 * process-group kill) also signalled; a second signal must not kill the stop half-way.
 */
export function exitOnStopSignals(log: Logger, stop: (signal: NodeJS.Signals) => Promise<void>, opts: StopOptions = {}): void {
  let stopping = false;
  const onSignal = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, opts.doing ? `stopping: ${opts.doing}` : 'stopping');
    if (opts.graceMs !== undefined) {
      setTimeout(() => {
        log.error({ graceMs: opts.graceMs }, 'the stop did not end in time; exiting');
        process.exit(1);
      }, opts.graceMs).unref();
    }
    try {
      await stop(signal);
      log.info('stopped');
      process.exit(opts.exitCode?.(signal) ?? 0);
    } catch (err) {
      log.error({ err }, 'unclean stop');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void onSignal('SIGTERM'));
  process.on('SIGINT', () => void onSignal('SIGINT'));
}
