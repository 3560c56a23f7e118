import { TestEnvironment } from 'jest-environment-node';
import { killSpawned } from './processes';

/**
 * The node environment of every spec: once a spec file is over, after its own afterAll hooks
 * (which may stop what they started gracefully: the soak bench drops its database on SIGTERM),
 * whatever it spawned and left running is killed with its process group.
 */
export default class TestEnvironmentKillingSpawned extends TestEnvironment {
  override async teardown(): Promise<void> {
    killSpawned();
    await super.teardown();
  }
}
