import type { Logger, PostImportHook, PostImportPayload } from '@cine/common';

export type { PostImportHook };

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
