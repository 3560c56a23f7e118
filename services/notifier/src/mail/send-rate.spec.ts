import { SendRate } from './send-rate';

/** A clock the spec moves by hand: sleeping advances it, so the order of sends is exact. */
function manualClock() {
  let now = 0;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
    },
    advance: (ms: number) => {
      now += ms;
    },
    slept,
  };
}

describe('SendRate', () => {
  it('lets a burst through at once, then one send per interval, in call order', async () => {
    const clock = manualClock();
    const rate = new SendRate(60, 2, clock); // one a second, two at once
    for (let i = 0; i < 5; i++) await rate.take();
    // The first two free, then each waits one more second than the one before (their slots are reserved at once).
    expect(clock.slept).toEqual([1000, 2000, 3000]);
  });

  it('refills while idle, but never beyond the burst', async () => {
    const clock = manualClock();
    const rate = new SendRate(60, 2, clock);
    await rate.take();
    await rate.take();
    clock.advance(60_000);
    await rate.take();
    await rate.take();
    await rate.take();
    expect(clock.slept).toEqual([1000]);
  });

  it('takes one second of the rate as its burst by default, at least one', async () => {
    const fast = manualClock();
    const rate = new SendRate(600, undefined, fast);
    for (let i = 0; i < 11; i++) await rate.take();
    expect(fast.slept).toEqual([100]);
    const slow = manualClock();
    const slowRate = new SendRate(30, undefined, slow);
    await slowRate.take();
    await slowRate.take();
    expect(slow.slept).toEqual([2000]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new SendRate(0)).toThrow(/positive/);
  });
});
