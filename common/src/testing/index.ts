/** What every package's tests share: deadlines scaled by TEST_TIME_FACTOR, and spawned processes that die with the test. */
export * from './wait';
export * from './processes';
