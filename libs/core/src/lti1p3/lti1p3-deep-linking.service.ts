import { Injectable, Logger } from '@nestjs/common';
import { decodeJwt } from 'jose';
import {
  checkDeepLinkingResponse,
  DEEP_LINKING_ROLES,
  deepLinkingSettingsClaim,
  LTI_CLAIM,
  lti1p3IdTokenClaims,
} from '@tms/lti';
import { Principal } from '../access/principal';
import { Lti1p3Clients } from './lti1p3-clients';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { PlatformKeysService } from '../keys/platform-keys.service';
import { launchIdentity } from '../launch/launch-identity';
import { LtiSettings, toolConsumerInfo } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { SelectionOutcome, SelectionPlacer } from '../launch/selection-placer';
import { CoursesService } from '../learning/courses.service';
import { ltiContextOf } from '../learning/lti-context';
import { ContentSelectionRequestRepository } from '../launch/content-selection-request.repository';
import { ID_TOKEN_LIFETIME_SECONDS } from './lti1p3-id-token.service';
import { ToolJwtIdRepository } from './tool-jwt-id.repository';
import { ToolKeys, toolJwtFailure } from './tool-keys';

const REQUEST_LIFETIME_MS = 60 * 60 * 1000;
/** Clock skew we tolerate on a tool's `iat` and `exp` (LTI Security 1.0 §5.1.3: "a small leeway"). */
const CLOCK_TOLERANCE_SECONDS = 60;

/**
 * The id_token of an `LtiDeepLinkingRequest` (Deep Linking 2.0 §4.4): an author picks content in
 * the tool for one course. `data` names a single-use selection request kept in PostgreSQL.
 */
@Injectable()
export class Lti1p3DeepLinkingRequestService {
  constructor(
    private readonly courses: CoursesService,
    private readonly users: UserRepository,
    private readonly keys: PlatformKeysService,
    private readonly requests: ContentSelectionRequestRepository,
    private readonly settings: LtiSettings,
    private readonly urls: PlatformUrls,
  ) {}

  /** The provider, if the author may pick content from it for this course. */
  async selectable(principal: Principal, courseId: string, providerId: string): Promise<Lti1p3Provider> {
    const providers = await this.courses.contentSelectionProviders(principal, courseId);
    const provider = providers.find(
      (p): p is Lti1p3Provider => p.id === providerId && !!p.lti1p3?.services.includes('deep_linking'),
    );
    if (!provider) throw DomainError.notFound('Tool');
    return provider;
  }

  async idToken(
    principal: Principal,
    courseId: string,
    provider: Lti1p3Provider,
    nonce: string,
    acceptMultiple: boolean,
  ): Promise<string> {
    const course = await this.courses.get(principal, courseId);
    const user = await this.users.findById(principal.userId);
    if (!user || user.status !== 'active') throw new DomainError('forbidden', 'Your account cannot use tools');
    const identity = launchIdentity(user, provider.privacy);
    const request = await this.requests.create({
      userId: user.id,
      courseId,
      providerId: provider.id,
      acceptMultiple,
      expiresAt: new Date(Date.now() + REQUEST_LIFETIME_MS),
    });
    const registration = provider.lti1p3;
    const claims = lti1p3IdTokenClaims({
      issuer: this.urls.issuer,
      clientId: registration.clientId,
      deploymentId: registration.deploymentId,
      nonce,
      targetLinkUri: registration.targetLinkUri,
      messageType: 'LtiDeepLinkingRequest',
      userId: identity.userId,
      person: identity.person,
      roles: DEEP_LINKING_ROLES,
      context: ltiContextOf(course, null),
      resourceLink: null,
      customParameters: provider.customParameters,
      variables: { 'User.id': identity.userId, 'Context.id': ltiContextOf(course, null).id },
      presentation: {
        documentTarget: 'window',
        width: null,
        height: null,
        locale: 'en-US',
        returnUrl: this.urls.url('courseAuthoring', { courseId: course.id }),
      },
      toolPlatform: toolConsumerInfo(this.settings),
      extraClaims: deepLinkingSettingsClaim({
        returnUrl: this.urls.url('deepLinkingReturn'),
        data: request.id,
        acceptMultiple,
        title: course.title,
      }),
    });
    return this.keys.signJwt(claims, ID_TOKEN_LIFETIME_SECONDS, { backdateSeconds: 5 });
  }
}

/**
 * The tool's `LtiDeepLinkingResponse`, posted through the author's browser (Deep Linking 2.0 §4.5).
 * It needs no cookie: the JWT is verified with the tool's key (iss = its client_id, aud = us, exp and
 * iat with a small leeway, a nonce never used before, our deployment), and `data` names the single-use
 * request, hence the author, the course and the tool it was asked of.
 */
@Injectable()
export class Lti1p3DeepLinkingReturnService {
  private readonly logger = new Logger(Lti1p3DeepLinkingReturnService.name);

  constructor(
    private readonly clients: Lti1p3Clients,
    private readonly toolKeys: ToolKeys,
    private readonly jwtIds: ToolJwtIdRepository,
    private readonly requests: ContentSelectionRequestRepository,
    private readonly placer: SelectionPlacer,
    private readonly urls: PlatformUrls,
  ) {}

  async complete(jwt: string | undefined): Promise<SelectionOutcome> {
    if (!jwt) throw DomainError.refused('The tool sent no JWT');
    const provider = await this.signer(jwt);
    const registration = provider.lti1p3;
    let payload: Record<string, unknown>;
    try {
      payload = await this.toolKeys.verify(provider, jwt, {
        issuer: registration.clientId,
        audience: this.urls.issuer,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // maxTokenAge makes jose check iat as well: a token issued in the future (beyond the leeway) is refused.
        maxTokenAge: '10m',
        requiredClaims: ['iat', 'exp', 'nonce'],
      });
    } catch (error) {
      throw DomainError.refused(`The tool’s answer could not be verified: ${toolJwtFailure(error)}`);
    }
    const claimedData = payload[LTI_CLAIM.data];
    const data = typeof claimedData === 'string' ? claimedData : null;
    // `data` is checked by consuming the single-use request it names (below), not by comparing it with
    // itself; the count is checked against what that request allowed, once it is known.
    const response = checkDeepLinkingResponse(payload, {
      deploymentId: registration.deploymentId,
      data: null,
      acceptMultiple: true,
    });
    if (!response.ok) throw DomainError.refused(`The tool’s answer was refused: ${response.reason}`);
    if (response.log) this.logger.log({ providerId: provider.id, log: response.log }, 'Deep linking log');
    if (response.errorLog)
      this.logger.warn({ providerId: provider.id, errorLog: response.errorLog }, 'Deep linking error log');
    const nonce = String(payload.nonce).slice(0, 255);
    const expiresAt = new Date((Number(payload.exp) + CLOCK_TOLERANCE_SECONDS) * 1000);
    if (!(await this.jwtIds.consume(provider.id, 'deep_linking_response', nonce, expiresAt))) {
      throw DomainError.refused('The tool’s answer was refused: this nonce was already used');
    }
    const pending = data ? await this.requests.consume(data, provider.id, new Date()) : null;
    if (!pending)
      throw DomainError.refused('This selection was already used, has expired, or was not asked of this tool');
    if (!pending.acceptMultiple && response.items.length > 1) {
      throw DomainError.refused('The tool’s answer was refused: only one item was asked for');
    }
    const added = await this.placer.place(response.items, provider, pending, {
      defaultUrl: registration.targetLinkUri,
      source: 'Deep Linking (ltiResourceLink)',
    });
    return { courseId: pending.courseId, added, message: response.message, errorMessage: response.errorMessage };
  }

  /** The tool is named by the unverified `iss`; nothing else is trusted before the signature. */
  private async signer(jwt: string): Promise<Lti1p3Provider> {
    let issuer: unknown;
    try {
      issuer = decodeJwt(jwt).iss;
    } catch {
      throw DomainError.refused('The tool’s answer is not a JWT');
    }
    // Read now, not from the process's copy: an answer is rare, and a tool disabled elsewhere must not place content.
    const provider = typeof issuer === 'string' ? (await this.clients.read(issuer))?.provider : null;
    if (!provider || !isLti1p3(provider) || provider.status !== 'active')
      throw DomainError.refused('The tool’s answer names an unknown client_id');
    return provider;
  }
}
