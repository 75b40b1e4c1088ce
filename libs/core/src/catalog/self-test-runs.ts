import { Injectable } from '@nestjs/common';
import { Principal } from '../access/principal';
import { DomainError } from '../errors/domain-error';
import { CatalogAccess } from './catalog-access';
import { LtiProvider } from './lti-provider';
import { LtiProviderRepository } from './lti-provider.repository';
import { NewSelfTestRun, SelfTestRun, SelfTestRunRepository } from './self-test-run.repository';

/** What a run keeps of what was sent and received: above this, only that it was too large. */
const MAX_DETAIL_BYTES = 64 * 1024;
const MAX_SUMMARY = 500;

/**
 * Provider self-test runs (the 1.1 test launch, the 1.3 checks and test launches): each kept when it
 * runs, the latest few listed on the provider's page, each opening in the inspector's style. Only
 * administrators of the provider's organization see them; the audit log keeps its own entries.
 */
@Injectable()
export class SelfTestRuns {
  constructor(
    private readonly runs: SelfTestRunRepository,
    private readonly providers: LtiProviderRepository,
    private readonly catalog: CatalogAccess,
  ) {}

  /** The caller ran the test for an administrator who manages the provider. */
  record(principal: Principal, provider: LtiProvider, run: Omit<NewSelfTestRun, 'providerId' | 'userId'>) {
    const fits = JSON.stringify(run.detail).length <= MAX_DETAIL_BYTES;
    return this.runs.record({
      ...run,
      providerId: provider.id,
      userId: principal.userId,
      summary: run.summary.length > MAX_SUMMARY ? `${run.summary.slice(0, MAX_SUMMARY - 1)}…` : run.summary,
      detail: fits ? run.detail : { tooLarge: `more than ${MAX_DETAIL_BYTES / 1024} KiB, not kept` },
    });
  }

  async recent(principal: Principal, providerId: string, limit = 5): Promise<SelfTestRun[]> {
    const scope = await this.catalog.scopeOf(principal);
    if (!(await this.providers.findOwned(scope, providerId))) throw DomainError.notFound('Provider');
    return this.runs.listForProvider(providerId, limit);
  }

  async inspect(principal: Principal, id: string): Promise<{ run: SelfTestRun; provider: LtiProvider }> {
    const scope = await this.catalog.scopeOf(principal);
    const run = await this.runs.findById(id);
    const provider = run && (await this.providers.findOwned(scope, run.providerId));
    if (!run || !provider) throw DomainError.notFound('Self-test');
    return { run, provider };
  }
}
