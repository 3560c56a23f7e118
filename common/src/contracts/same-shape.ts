/**
 * Compile-time proof that a route's schema and the contract its clients import describe the same
 * shape, both ways: `assertSame<Same<Static<typeof Schema>, Contract>>()` fails to compile on a drift.
 */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

export function assertSame<T extends true>(): T | undefined {
  return undefined;
}
