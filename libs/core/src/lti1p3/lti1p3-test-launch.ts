import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { randomUUID } from 'node:crypto';
import { LIS_ROLES, launchVariables, lti1p3IdTokenClaims, LaunchContextParams } from '@tms/lti';
import { Principal } from '../access/principal';
import { CatalogAccess } from '../catalog/catalog-access';
import { SelfTestRuns } from '../catalog/self-test-runs';
import { isLti1p3, Lti1p3Provider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { PlatformKeysService } from '../keys/platform-keys.service';
import { LaunchIdentity, selfTestIdentity } from '../launch/launch-identity';
import { LaunchRepository } from '../launch/launch.repository';
import type { OidcExchange } from '../launch/launch-sent';
import { NO_ONE, redactLaunchSent } from '../launch/launch-sent';
import { LtiSettings, toolConsumerInfo } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { ID_TOKEN_LIFETIME_SECONDS, IAT_BACKDATE_SECONDS } from './lti1p3-id-token.service';
import { SelfTestRole } from './message-hint.repository';

/** A context that is no course's: the tool's records of the test say so. */
const SELF_TEST_CONTEXT = 'self-test';

/** LIS v2 roles (LTI Core 1.3 §5.3.7, Appendix A): the test user is a TestUser in either role. */
const ROLES: Record<SelfTestRole, readonly string[]> = {
  learner: [LIS_ROLES.learner, LIS_ROLES.testUser],
  instructor: [LIS_ROLES.instructor, LIS_ROLES.testUser],
};

/**
 * The LTI 1.3 provider self-test launch: a real resource link launch (LTI Core 1.3 §5.3) from the
 * provider's page, through the whole OIDC flow in the administrator's browser, as a test learner or a
 * test instructor in a context and resource link that are no course's. It sends the provider's privacy
 * and custom parameters, and no AGS or NRPS claim: nothing can come back from a self-test.
 */
@Injectable()
export class Lti1p3TestLaunch {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly catalog: CatalogAccess,
    private readonly users: UserRepository,
    private readonly keys: PlatformKeysService,
    private readonly launches: LaunchRepository,
    private readonly settings: LtiSettings,
    private readonly urls: PlatformUrls,
    private readonly runs: SelfTestRuns,
  ) {}

  /** The 1.3 provider, if the administrator manages its organization (checked again at authorization). */
  async provider(principal: Principal, providerId: string): Promise<Lti1p3Provider> {
    const scope = await this.catalog.scopeOf(principal);
    const provider = await this.catalog.requireManaged(
      scope,
      await this.providers.findVisible(scope, providerId),
      'Provider',
    );
    if (!isLti1p3(provider)) throw DomainError.refused('The test launch as a learner or instructor is LTI 1.3');
    return provider;
  }

  /** The signed id_token of the test launch, recorded (its kind `self_test`) for the launch inspector. */
  async idToken(
    principal: Principal,
    providerId: string,
    role: SelfTestRole,
    nonce: string,
    exchange: OidcExchange,
  ): Promise<string> {
    const provider = await this.provider(principal, providerId);
    const user = await this.users.findById(principal.userId);
    if (!user || user.status !== 'active') throw new DomainError('forbidden', 'Your account cannot launch activities');
    const identity = selfTestIdentity(user, provider.privacy, role);
    const launchId = randomUUID();
    const claims = this.claims(provider, identity, ROLES[role], nonce, launchId);
    const idToken = await this.keys.signJwt(claims, ID_TOKEN_LIFETIME_SECONDS, {
      backdateSeconds: IAT_BACKDATE_SECONDS,
    });
    await this.launches.record({
      id: launchId,
      userId: principal.userId,
      enrollmentId: null,
      activityId: null,
      resourceLinkId: null,
      providerId: provider.id,
      ltiVersion: '1.3',
      kind: 'self_test',
      roles: ROLES[role],
      piiSent: identity.piiSent,
      presentationPath: 'window',
      // The test user's name is no one's: kept as sent (redacting "Test" would blank the role URIs), within the size cap.
      sent: redactLaunchSent({ version: '1.3', claims: decodeJwt(idToken), exchange }, NO_ONE),
    });
    await this.runs.record(principal, provider, {
      kind: 'lti1p3_test_launch',
      passed: true,
      summary: `id_token posted to the tool as a test ${role}`,
      detail: { role },
      launchId,
    });
    return idToken;
  }

  /** A resource link launch's claims (LTI Core 1.3 §5.3, §5.4) in the self-test context, without service claims. */
  private claims(
    provider: Lti1p3Provider,
    identity: LaunchIdentity,
    roles: readonly string[],
    nonce: string,
    launchId: string,
  ): Record<string, unknown> {
    const context: LaunchContextParams = {
      id: SELF_TEST_CONTEXT,
      label: SELF_TEST_CONTEXT,
      title: `Self-test of ${provider.name} (no course)`,
      type: 'CourseOffering',
    };
    const resourceLink = { id: `${SELF_TEST_CONTEXT}-${provider.id}`, title: 'Self-test', description: null };
    const toolPlatform = toolConsumerInfo(this.settings);
    const { userId, person } = identity;
    return lti1p3IdTokenClaims({
      issuer: this.urls.issuer,
      clientId: provider.lti1p3.clientId,
      deploymentId: provider.lti1p3.deploymentId,
      nonce,
      targetLinkUri: provider.lti1p3.targetLinkUri,
      messageType: 'LtiResourceLinkRequest',
      userId,
      person,
      roles,
      context,
      resourceLink,
      customParameters: provider.customParameters,
      variables: launchVariables({
        userId,
        roles,
        person,
        context,
        resourceLink,
        toolConsumer: toolPlatform,
        outcome: null,
      }),
      presentation: {
        documentTarget: 'window',
        width: provider.presentation.width,
        height: provider.presentation.height,
        locale: 'en-US',
        returnUrl: this.urls.url('launchReturn', { launchId }),
      },
      toolPlatform,
    });
  }
}
