import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AUDIT_ENTITY_TYPES, AuditService, OrganizationsService, Principal } from '@tms/core';
import { CurrentPrincipal, Page, RequireRole } from '../shared/decorators';
import { parseForm } from '../shared/validation';
import { PageContext, Views } from '../shared/views';
import { AuditQueryDto } from './audit.api.controller';
import { ENTITY_LABELS, toAuditRow } from './audit-rows';
import { AuditNames } from './audit-names';
import { Transport } from '../errors/transport';
import { sendPage } from '../shared/page-crud';

@ApiExcludeController()
@RequireRole('site_admin')
@Transport('page')
@Controller('admin/audit')
export class AuditPageController {
  constructor(
    private readonly audit: AuditService,
    private readonly organizations: OrganizationsService,
    private readonly names: AuditNames,
    private readonly views: Views,
  ) {}

  @Get()
  async list(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Query() filters: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const tree = await this.organizations.listTree(principal);
    const form = parseForm(AuditQueryDto, filters);
    const result = await this.audit.list(principal, form.value ?? new AuditQueryDto());
    const names = await this.names.of(principal, result.items, tree);
    sendPage(
      response,
      this.views.render('audit/list', page, {
        result,
        rows: result.items.map((event) => toAuditRow(event, names)),
        tree,
        query: form.value ? filters : {},
        errors: form.errors ?? {},
        entityTypes: AUDIT_ENTITY_TYPES.map((value) => ({ value, label: ENTITY_LABELS[value] })),
        organizationName: new Map(tree.map((o) => [o.id, o.name])),
      }),
    );
  }
}
