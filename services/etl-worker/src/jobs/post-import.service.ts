import type { Logger, PostImportHook, PostImportPayload } from '@cine/common';
import { redactText } from '@cine/common';
import type { CatalogueRepository } from '../catalogue/catalogue.repository';

export type { PostImportHook };

/**
 * The steps that follow a swap, in order. Their state is kept beside the catalogue served
 * (`catalogue_state.post_import_status`): while they fail, the new catalogue serves with the
 * previous embeddings and KPI figures, and the status route and readiness say so; the job is
 * retried, and a later success clears it.
 */
export class PostImportService {
  constructor(
    private readonly hooks: readonly PostImportHook[],
    private readonly catalogue: CatalogueRepository,
    private readonly log: Logger,
  ) {}

  async run(payload: PostImportPayload): Promise<{ hooks: string[] }> {
    const ran: string[] = [];
    await this.catalogue.setPostImport('running', null);
    try {
      for (const hook of this.hooks) {
        const started = Date.now();
        await hook.run(this.log.child({ hook: hook.name }));
        ran.push(hook.name);
        this.log.info({ hook: hook.name, ms: Date.now() - started, reason: payload.reason }, 'post-import hook done');
      }
    } catch (err) {
      const failed = this.hooks[ran.length]?.name ?? 'post-import';
      const message = redactText(`${failed}: ${err instanceof Error ? err.message : String(err)}`);
      await this.catalogue.setPostImport('failed', message).catch(() => {});
      throw err;
    }
    await this.catalogue.setPostImport('succeeded', null);
    return { hooks: ran };
  }
}
