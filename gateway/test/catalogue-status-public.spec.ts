import type { CatalogueStatus, ImportRunView } from '@cine/common';
import { until } from '@cine/common/testing';
import { createTestDatabase, type TestDatabase } from '@cine/db/testing';
import { PUBLIC_MESSAGES } from '../src/catalogue/public-status';
import { ADMIN_KEY, getJson, postJson, type RunningGateway, startGateway } from './gateway-harness';

const SECRET = 's3cr3tpass';
const key = { 'x-api-key': ADMIN_KEY };

function finished(gw: RunningGateway, id: string): Promise<ImportRunView> {
  return until(`import ${id} to end`, async () => {
    const { body } = await getJson<ImportRunView>(`${gw.url}/api/v1/admin/etl-runs/${id}`, key);
    return body.state === 'failed' || body.state === 'completed' ? body : null;
  }, { intervalMs: 50 });
}

/**
 * The catalogue status is public (the page polls it): it speaks a fixed vocabulary. What an
 * import failed with — a library's message repeating a source URL and its password, a server
 * path — is for the admin run view, redacted, and the logs.
 */
describe('the public catalogue status', () => {
  let t: TestDatabase;
  let gw: RunningGateway;
  beforeAll(async () => {
    t = await createTestDatabase();
    gw = await startGateway({ handle: t.handle });
  });
  afterAll(async () => {
    await gw?.close();
    await t?.drop();
  });

  it('says the suggestions are stale when the steps after a swap failed, and nothing more', async () => {
    await t.handle.db
      .updateTable('catalogue_state')
      .set({ post_import_status: 'failed', post_import_error: 'embeddings: out of memory in /srv/cine/x', post_import_at: new Date() })
      .execute();
    const { body } = await getJson<CatalogueStatus>(`${gw.url}/api/v1/catalogue/status`);
    expect(body.import).toMatchObject({ state: 'failed', step: null, message: PUBLIC_MESSAGES['post-import-failed'] });
    expect(JSON.stringify(body)).not.toMatch(/out of memory|\/srv\/cine/);
    // Readiness says it too, still ready (search and the previous suggestions work), without the error.
    const ready = await fetch(`${gw.url}/health/ready`);
    const probe = (await ready.json()) as { checks: Record<string, { ok: boolean; detail?: string }> };
    expect(probe.checks.catalogue).toMatchObject({ ok: true });
    expect(probe.checks.catalogue!.detail).toMatch(/^post-import failed since .*: embeddings and KPI figures still come from the previous catalogue$/);
    expect(JSON.stringify(probe)).not.toMatch(/out of memory|\/srv\/cine/);
    await t.handle.db.updateTable('catalogue_state').set({ post_import_status: null, post_import_error: null }).execute();
  });

  it('shows no password when an import from a URL with credentials failed; the admin view shows the error redacted', async () => {
    const started = await postJson<{ id: string }>(`${gw.url}/api/v1/admin/etl-runs`, { imdb: [`http://user:${SECRET}@127.0.0.1:9/imdb/`] }, key);
    expect(started.status).toBe(202);
    const view = await finished(gw, started.body.id);
    expect(view.state).toBe('failed');
    expect(view.error).toMatch(/http:\/\/user:\*\*\*@127\.0\.0\.1:9\/imdb\/.*unreachable/);
    expect(JSON.stringify(view)).not.toContain(SECRET);

    const status = await getJson<CatalogueStatus>(`${gw.url}/api/v1/catalogue/status`);
    expect(status.status).toBe(200);
    expect(status.body.import).toEqual({ state: 'failed', progress: null, step: null, finishedAt: null, message: PUBLIC_MESSAGES.failed });
    expect(JSON.stringify(status.body)).not.toMatch(/s3cr3t|127\.0\.0\.1|imdb\/|unreachable/);
  });

  it('shows no server path when an import from a missing folder failed', async () => {
    const started = await postJson<{ id: string }>(`${gw.url}/api/v1/admin/etl-runs`, { imdb: ['/srv/cine-private/imdb'] }, key);
    const view = await finished(gw, started.body.id);
    expect(view.error).toMatch(/\/srv\/cine-private\/imdb: no such folder/);
    const status = await getJson<CatalogueStatus>(`${gw.url}/api/v1/catalogue/status`);
    expect(status.body.import.state).toBe('failed');
    expect(JSON.stringify(status.body)).not.toContain('/srv/cine-private');
  });
});
