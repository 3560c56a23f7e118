import { Transform } from 'node:stream';

/**
 * Aborts a download that stops making progress: no headers within `ms`, or no body bytes for
 * `ms`. `meter()` is the pass-through that feeds it; the timer ends with the stream.
 */
export class StallWatchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.arm(`no answer within ${ms} ms`);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  rearm(): void {
    this.arm(`download stalled for ${this.ms} ms`);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  meter(): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        this.rearm();
        done(null, chunk);
      },
      flush: (done) => {
        this.stop();
        done();
      },
      destroy: (err, done) => {
        this.stop();
        done(err);
      },
    });
  }

  private arm(reason: string): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error(reason)), this.ms);
    this.timer.unref();
  }
}
