import { Controller, Delete, Get, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  AGS_DEFAULT_LIMIT,
  AGS_MAX_LIMIT,
  AgsScoresService,
  DomainError,
  LineItem,
  LineItemResult,
  LineItemsService,
  Lti1p3Provider,
  PLATFORM_ROUTES,
  PlatformUrls,
} from '@tms/core';
import { AGS_MEDIA_TYPES, AGS_SCOPES, readLineItemFields, type SubmissionReview } from '@tms/lti';
import { Transport } from '../errors/transport';
import { Public } from '../shared/decorators';
import { AppRequest } from '../shared/request-context';
import { paging, requireMediaType, setNextLink, textParam } from './service-http';
import { CallingTool, CallingToolToken, ToolScopes, ToolScopesRechecked } from './tool-token.guard';

const READ_LINE_ITEMS = [AGS_SCOPES.lineItem, AGS_SCOPES.lineItemReadOnly];

/**
 * LTI Assignment and Grade Services 2.0: the line item container of a context, its line items, their
 * scores and results. Every route authenticates the tool's bearer token for the scope it needs, and
 * answers 404 for whatever lies outside the tool's contexts. Paths carry no query string of their
 * own, so `/scores` and `/results` append cleanly, and any query a tool adds is ignored.
 */
@ApiExcludeController()
@Public()
@Transport('service')
@Controller()
export class AssignmentGradesController {
  constructor(
    private readonly lineItems: LineItemsService,
    private readonly scores: AgsScoresService,
    private readonly urls: PlatformUrls,
  ) {}

  /** AGS 2.0 §3.2.3: filtered by `resource_link_id`, `resource_id`, `tag`; paged with `limit`. */
  @Get(PLATFORM_ROUTES.lineItems)
  @ToolScopes(...READ_LINE_ITEMS)
  async list(
    @CallingTool() provider: Lti1p3Provider,
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const { limit, page, offset } = paging(query, AGS_DEFAULT_LIMIT, AGS_MAX_LIMIT);
    const result = await this.lineItems.list(provider, contextId, {
      resourceLinkId: textParam(query.resource_link_id, 'resource_link_id'),
      resourceId: textParam(query.resource_id, 'resource_id'),
      tag: textParam(query.tag, 'tag'),
      limit,
      offset,
    });
    if (result.next !== null) setNextLink(response, this.urls.received(request.originalUrl), page, limit);
    const items = result.items.map((item) => this.json(contextId, item));
    this.send(response, 200, AGS_MEDIA_TYPES.lineItemContainer, items);
  }

  /** AGS 2.0 §3.2.4: a line item the tool makes, optionally bound to one of its resource links here. */
  @Post(PLATFORM_ROUTES.lineItems)
  @ToolScopes(AGS_SCOPES.lineItem)
  async create(
    @CallingTool() provider: Lti1p3Provider,
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Res() response: Response,
  ) {
    requireMediaType(request, AGS_MEDIA_TYPES.lineItem, provider);
    const item = await this.lineItems.create(provider, contextId, lineItemFields(request.body));
    const json = this.json(contextId, item);
    response.setHeader('Location', json.id);
    this.send(response, 201, AGS_MEDIA_TYPES.lineItem, json);
  }

  @Get(PLATFORM_ROUTES.lineItem)
  @ToolScopes(...READ_LINE_ITEMS)
  async get(
    @CallingTool() provider: Lti1p3Provider,
    @Param('contextId') contextId: string,
    @Param('lineItemId') lineItemId: string,
    @Res() response: Response,
  ) {
    const item = await this.lineItems.get(provider, contextId, lineItemId);
    this.send(response, 200, AGS_MEDIA_TYPES.lineItem, this.json(contextId, item));
  }

  /** AGS 2.0 §3.2.5: PUT replaces the line item's fields. */
  @Put(PLATFORM_ROUTES.lineItem)
  @ToolScopes(AGS_SCOPES.lineItem)
  async update(
    @CallingTool() provider: Lti1p3Provider,
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Param('lineItemId') lineItemId: string,
    @Res() response: Response,
  ) {
    requireMediaType(request, AGS_MEDIA_TYPES.lineItem, provider);
    const item = await this.lineItems.update(provider, contextId, lineItemId, lineItemFields(request.body));
    this.send(response, 200, AGS_MEDIA_TYPES.lineItem, this.json(contextId, item));
  }

  @Delete(PLATFORM_ROUTES.lineItem)
  @ToolScopes(AGS_SCOPES.lineItem)
  async delete(
    @CallingTool() provider: Lti1p3Provider,
    @Param('contextId') contextId: string,
    @Param('lineItemId') lineItemId: string,
    @Res() response: Response,
  ) {
    await this.lineItems.delete(provider, contextId, lineItemId);
    response.status(204).end();
  }

  /** AGS 2.0 §3.4: a score publish; 204 once it is stored (or was already). */
  @Post(PLATFORM_ROUTES.lineItemScores)
  @ToolScopesRechecked(AGS_SCOPES.score)
  async score(
    @CallingTool() provider: Lti1p3Provider,
    @CallingToolToken() tokenHash: string,
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Param('lineItemId') lineItemId: string,
    @Res() response: Response,
  ) {
    requireMediaType(request, AGS_MEDIA_TYPES.score, provider);
    const requestId = typeof request.id === 'string' ? request.id : null;
    await this.scores.publishScore({ provider, tokenHash }, contextId, lineItemId, request.body, requestId);
    response.status(204).end();
  }

  /** AGS 2.0 §3.3: the latest result of each learner, filtered by `user_id`, paged with `limit`. */
  @Get(PLATFORM_ROUTES.lineItemResults)
  @ToolScopes(AGS_SCOPES.resultReadOnly)
  async results(
    @CallingTool() provider: Lti1p3Provider,
    @Req() request: AppRequest,
    @Param('contextId') contextId: string,
    @Param('lineItemId') lineItemId: string,
    @Query() query: Record<string, unknown>,
    @Res() response: Response,
  ) {
    const { limit, page, offset } = paging(query, AGS_DEFAULT_LIMIT, AGS_MAX_LIMIT);
    const result = await this.lineItems.results(provider, contextId, lineItemId, {
      userId: textParam(query.user_id, 'user_id'),
      limit,
      offset,
    });
    if (result.next !== null) setNextLink(response, this.urls.received(request.originalUrl), page, limit);
    const itemUrl = this.urls.url('lineItem', { contextId, lineItemId });
    const rows = result.items.map((row) => resultJson(itemUrl, row));
    this.send(response, 200, AGS_MEDIA_TYPES.resultContainer, rows);
  }

  private send(response: Response, status: number, mediaType: string, body: unknown): void {
    response.status(status).type(mediaType).send(JSON.stringify(body));
  }

  /** AGS 2.0 §3.2: absent fields are left out; `resourceId` and `tag` exactly as the tool wrote them. */
  private json(contextId: string, item: LineItem) {
    return {
      id: this.urls.url('lineItem', { contextId, lineItemId: item.id }),
      label: item.label,
      scoreMaximum: Number(item.scoreMaximum),
      ...(item.resourceLinkId !== null ? { resourceLinkId: item.resourceLinkId } : {}),
      ...(item.resourceId !== null ? { resourceId: item.resourceId } : {}),
      ...(item.tag !== null ? { tag: item.tag } : {}),
      ...(item.startDateTime ? { startDateTime: item.startDateTime.toISOString() } : {}),
      ...(item.endDateTime ? { endDateTime: item.endDateTime.toISOString() } : {}),
      ...(item.gradesReleased !== null ? { gradesReleased: item.gradesReleased } : {}),
      ...(item.submissionReview !== null ? { submissionReview: submissionReviewJson(item.submissionReview) } : {}),
    };
  }
}

function lineItemFields(body: unknown) {
  const fields = readLineItemFields(body);
  if (!fields.ok) throw DomainError.refused(fields.reason);
  return fields.value;
}

/** AGS 2.0 §3.3.1: a result; a cleared score has no `resultScore`. */
function resultJson(itemUrl: string, row: LineItemResult) {
  return {
    id: `${itemUrl}/results/${encodeURIComponent(row.ltiUserId)}`,
    scoreOf: itemUrl,
    userId: row.ltiUserId,
    ...(row.scoreGiven !== null
      ? { resultScore: Number(row.scoreGiven), resultMaximum: Number(row.scoreMaximum) }
      : {}),
    ...(row.comment !== null ? { comment: row.comment } : {}),
  };
}

/** SRS 1.0 §2.1: `submissionReview` as the tool wrote it, absent fields left out. */
function submissionReviewJson(review: SubmissionReview) {
  return {
    reviewableStatus: review.reviewableStatus,
    ...(review.label !== null ? { label: review.label } : {}),
    ...(review.url !== null ? { url: review.url } : {}),
    ...(review.custom !== null ? { custom: review.custom } : {}),
  };
}
