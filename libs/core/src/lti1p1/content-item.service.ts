import { Injectable } from '@nestjs/common';
import { contentItemRequestParams, LTI_LINK_MEDIA_TYPE, OAuthRequest, parseContentItemSelection } from '@tms/lti';
import { Principal } from '../access/principal';
import { Lti1p1Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { launchIdentity } from '../launch/launch-identity';
import { LtiSettings, toolConsumerInfo } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { ltiContextOf } from '../learning/lti-context';
import { CoursesService } from '../learning/courses.service';
import { ContentSelectionRequestRepository } from '../launch/content-selection-request.repository';
import { SelectionOutcome, SelectionPlacer } from '../launch/selection-placer';
import { SignedLaunchForm } from '../launch/signed-launch-form';
import { Lti1p1LaunchService } from './lti1p1-launch.service';
import { Lti1p1RequestRefused, Lti1p1RequestVerifier } from './lti1p1-request-verifier';

const REQUEST_LIFETIME_MS = 60 * 60 * 1000;

/**
 * Content-Item (LTI 1.1 deep linking) for course authors: "Add from <tool>" posts a signed
 * `ContentItemSelectionRequest`; the tool answers in the author's browser.
 */
@Injectable()
export class ContentItemService {
  constructor(
    private readonly courses: CoursesService,
    private readonly users: UserRepository,
    private readonly requests: ContentSelectionRequestRepository,
    private readonly lti1p1: Lti1p1LaunchService,
    private readonly settings: LtiSettings,
    private readonly urls: PlatformUrls,
  ) {}

  async start(
    principal: Principal,
    courseId: string,
    providerId: string,
    acceptMultiple = true,
  ): Promise<SignedLaunchForm & { toolName: string }> {
    const provider = (await this.courses.contentSelectionProviders(principal, courseId)).find(
      (p) => p.id === providerId,
    );
    if (!provider?.lti1p1?.contentItemUrl) throw DomainError.notFound('Tool');
    const course = await this.courses.get(principal, courseId);
    const user = (await this.users.findById(principal.userId))!;
    const request = await this.requests.create({
      userId: user.id,
      courseId,
      providerId,
      acceptMultiple,
      expiresAt: new Date(Date.now() + REQUEST_LIFETIME_MS),
    });
    const params = contentItemRequestParams({
      returnUrl: this.urls.url('contentItemReturn'),
      data: request.id,
      userId: launchIdentity(user, provider.privacy).userId,
      roles: ['Instructor', 'urn:lti:role:ims/lis/ContentDeveloper'],
      context: ltiContextOf(course, null),
      toolConsumer: toolConsumerInfo(this.settings),
      acceptMultiple,
      locale: 'en-US',
    });
    const action = provider.lti1p1.contentItemUrl;
    return {
      launchId: request.id,
      action,
      fields: await this.lti1p1.sign(provider, action, params),
      target: 'self',
      width: null,
      height: null,
      toolName: provider.name,
    };
  }
}

/**
 * The tool's `ContentItemSelection`, posted through the author's browser. It works without any
 * cookie (a cross-site POST carries none): the signature proves the tool, the single-use `data`
 * names the author, the course and the tool it was asked of. Each `LtiLinkItem` becomes a resource
 * link of the course's organization and an activity of the course, all in one transaction.
 */
@Injectable()
export class ContentItemReturnService {
  constructor(
    private readonly verifier: Lti1p1RequestVerifier,
    private readonly requests: ContentSelectionRequestRepository,
    private readonly placer: SelectionPlacer,
  ) {}

  async complete(request: OAuthRequest): Promise<SelectionOutcome> {
    const params = request.params as Record<string, string | undefined>;
    let provider: Lti1p1Provider;
    try {
      provider = await this.verifier.verify(request);
    } catch (error) {
      if (error instanceof Lti1p1RequestRefused)
        throw DomainError.refused(`The tool’s answer could not be verified: ${error.reason}`);
      throw error;
    }
    const selection = parseContentItemSelection(params, { acceptMultiple: true });
    if (!selection.ok) throw DomainError.refused(`The tool’s selection was refused: ${selection.reason}`);
    const pending = params.data ? await this.requests.consume(params.data, provider.id, new Date()) : null;
    if (!pending)
      throw DomainError.refused('This selection was already used, has expired, or was not asked of this tool');
    if (!pending.acceptMultiple && selection.items.length > 1) {
      throw DomainError.refused('The tool’s selection was refused: only one item was asked for');
    }
    // Where an item names no URL, the tool's own: the selection URL it was asked from.
    const defaultUrl = provider.lti1p1.contentItemUrl;
    if (!defaultUrl) throw DomainError.refused('This tool no longer offers content selection on this platform');
    const added = await this.placer.place(selection.items, provider, pending, {
      defaultUrl,
      source: `Content-Item (${LTI_LINK_MEDIA_TYPE})`,
    });
    return { courseId: pending.courseId, added, message: selection.message, errorMessage: selection.errorMessage };
  }
}
