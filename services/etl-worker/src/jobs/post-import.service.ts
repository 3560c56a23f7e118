import type { Logger, PostImportPayload } from '@cine/common';

/**
 * Work that must follow every successful import. Later features register here (refreshing the
 * KPI views, rebuilding the recommender's embeddings) instead of being called by the importers,
 * so an import stays one thing and each hook runs, fails and retries as part of one job.
 */
export interface PostImportHook {
  readonly name: string;
  run(log: Logger): Promise<void>;
}

export class PostImportService {
  constructor(
    private readonly hooks: readonly PostImportHook[],
    private readonly log: Logger,
  ) {}

  async run(payload: PostImportPayload): Promise<{ hooks: string[] }> {
    const ran: string[] = [];
    for (const hook of this.hooks) {
      const started = Date.now();
      await hook.run(this.log.child({ hook: hook.name }));
      ran.push(hook.name);
      this.log.info({ hook: hook.name, ms: Date.now() - started, reason: payload.reason }, 'post-import hook done');
    }
    return { hooks: ran };
  }
}
