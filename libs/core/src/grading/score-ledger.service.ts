import { Injectable } from '@nestjs/common';
import { AccessService } from '../access/access.service';
import { Principal } from '../access/principal';
import { Page, PageRequest } from '../shared/page';
import { ScoreDecision, ScoreLedgerRepository, ScoreLedgerView } from './score-ledger.repository';

export interface ScoreLedgerListQuery extends PageRequest {
  readonly organizationId?: string;
  readonly providerId?: string;
  readonly decision?: ScoreDecision;
}

/**
 * The score ledger for the people who answer for grades: site administrators and instructors see
 * the entries of the organizations they manage or teach in (an entry belongs to the class's or the
 * course's organization), filtered in SQL by their scope. Entries no organization could be named
 * for (unauthenticated requests) are for platform administrators only.
 */
@Injectable()
export class ScoreLedgerService {
  constructor(
    private readonly ledger: ScoreLedgerRepository,
    private readonly access: AccessService,
  ) {}

  async list(principal: Principal, query: ScoreLedgerListQuery): Promise<Page<ScoreLedgerView>> {
    const scope = await this.access.scope(
      principal,
      ['instructor'],
      'Only site administrators and instructors can see the score ledger',
    );
    if (query.organizationId) await this.access.require(scope, query.organizationId);
    return this.ledger.list(scope, query);
  }
}
