import { type Logger, redactText } from '@cine/common';
import type { CatalogueRepository } from '../catalogue/catalogue.repository';

/**
 * The last step of an import's chain: records how the steps after the swap went (the embedding
 * build, the KPI refresh) beside the catalogue served (`catalogue_state.post_import_status`).
 * While one of them failed, the new catalogue serves with the previous embeddings or KPI figures;
 * the status route and readiness say so, and the next import (or a forced re-run) clears it.
 */
export class PostImportService {
  constructor(
    private readonly catalogue: CatalogueRepository,
    private readonly log: Logger,
  ) {}

  async record(failures: readonly string[]): Promise<{ failures: string[] }> {
    if (failures.length > 0) {
      const error = redactText(failures.join('; '));
      await this.catalogue.setPostImport('failed', error);
      this.log.error({ failures }, 'steps after the import failed; the previous embeddings or KPI figures still serve');
    } else {
      await this.catalogue.setPostImport('succeeded', null);
    }
    return { failures: [...failures] };
  }
}
