import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Principal, SCORE_DECISIONS, ScoreLedgerService } from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { PROGRESS_LABELS } from '../learning/learning-forms';
import { ScoreLedgerQueryDto, toScoreLedgerEntryDto } from './score-ledger.api.controller';
import { Transport } from '../errors/transport';
import { sendPage } from '../shared/page-crud';
import { submissionPaths } from './submission-paths';

const DECISION_LABELS: Record<string, string> = {
  applied: 'Applied',
  unchanged: 'Unchanged (same as stored)',
  read: 'Read',
  rejected: 'Rejected',
  preview: 'Preview (not recorded)',
  overridden: 'Kept: overridden (an instructor grade stands)',
  manual: 'Instructor grade',
};

/** The score ledger for instructors and site administrators (under Teaching); the service answers 403 to anyone else. */
@ApiExcludeController()
@Transport('page')
@Controller('teach/score-ledger')
export class ScoreLedgerPageController {
  constructor(
    private readonly ledger: ScoreLedgerService,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() filters: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const form = parseForm(ScoreLedgerQueryDto, filters);
    const result = await this.ledger.list(principal, form.value ?? new ScoreLedgerQueryDto());
    sendPage(
      response,
      this.views.render('teach/score-ledger', page, {
        result,
        rows: result.items.map(toScoreLedgerEntryDto),
        query: form.value ? filters : {},
        errors: form.errors ?? {},
        decisions: SCORE_DECISIONS.map((value) => ({ value, label: DECISION_LABELS[value] })),
        decisionLabels: DECISION_LABELS,
        statusLabels: PROGRESS_LABELS,
        submissionHref: submissionPaths.staff,
      }),
    );
  }
}
