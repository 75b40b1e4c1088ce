import { Injectable } from '@nestjs/common';
import { checkToolUrl, lti1p1LaunchParams, oauthBaseString } from '@tms/lti';
import { Principal } from '../access/principal';
import { AuditLog } from '../audit/audit-log';
import { CatalogAccess } from '../catalog/catalog-access';
import { SelfTestRuns } from '../catalog/self-test-runs';
import { isLti1p1, Lti1p1Provider } from '../catalog/lti-provider';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { DomainError } from '../errors/domain-error';
import { UserRepository } from '../identity/user.repository';
import { previewIdentity } from '../launch/launch-identity';
import { LaunchSent, NO_ONE, redactLaunchSent } from '../launch/launch-sent';
import { LtiSettings, toolConsumerInfo } from '../launch/lti-settings';
import { OutboundError, OutboundHttp } from '../shared/outbound-http';
import { Lti1p1LaunchService } from './lti1p1-launch.service';

/** How the tool answered a test launch; `sent` is what the inspector shows of it. */
export interface TestLaunchResult {
  readonly sent: LaunchSent;
  /** True when the tool answered 2xx: it accepted the launch. */
  readonly accepted: boolean;
  /** The answer, or null when there was none (then `failure` says why). */
  readonly status: number | null;
  readonly contentType: string | null;
  /** The first BODY_PREVIEW characters of the answer, as text (the page escapes it). */
  readonly body: string;
  readonly failure: string | null;
}

const TIMEOUT_MS = 10_000;
const MAX_BYTES = 256 * 1024;
const BODY_PREVIEW = 2000;
/** A context and resource link that are no course's: a tool's records of the test say so. */
const SELF_TEST = { id: 'self-test', title: 'Self-test' } as const;

/**
 * The 1.1 provider self-test: a signed basic launch (LTI 1.1.1 Implementation Guide §3, OAuth 1.0a
 * §4) sent from the server as a test learner with the provider's own custom parameters, so an
 * administrator sees whether the tool accepts our signature before any course places it. It goes
 * through the guarded outbound client like every request to a URL someone gave us.
 */
@Injectable()
export class Lti1p1TestLaunch {
  constructor(
    private readonly providers: LtiProviderRepository,
    private readonly catalog: CatalogAccess,
    private readonly users: UserRepository,
    private readonly launches: Lti1p1LaunchService,
    private readonly settings: LtiSettings,
    private readonly http: OutboundHttp,
    private readonly audit: AuditLog,
    private readonly runs: SelfTestRuns,
  ) {}

  async run(principal: Principal, id: string, launchUrl: string): Promise<TestLaunchResult> {
    const scope = await this.catalog.scopeOf(principal);
    const provider = await this.catalog.requireManaged(scope, await this.providers.findVisible(scope, id), 'Provider');
    if (!isLti1p1(provider)) throw DomainError.refused('The test launch sends an LTI 1.1 launch');
    const url = checkToolUrl(launchUrl.trim());
    if (!url.ok) throw DomainError.invalidField('launchUrl', `launchUrl ${url.reason}`);
    const user = await this.users.findById(principal.userId);
    if (!user) throw new DomainError('forbidden', 'Your account cannot launch activities');
    const identity = previewIdentity(user, provider.privacy);
    const fields = await this.launches.sign(provider, url.url, this.params(provider, identity));
    const { oauth_signature: _signature, ...signed } = fields;
    const sent = redactLaunchSent(
      {
        version: '1.1',
        url: url.url,
        consumerKey: provider.lti1p1.consumerKey,
        parameters: fields,
        baseString: oauthBaseString({ method: 'POST', url: url.url, params: signed }),
      },
      NO_ONE,
    );
    const result = await this.send(url.url, fields, sent);
    await this.runs.record(principal, provider, {
      kind: 'lti1p1_test_launch',
      passed: result.accepted,
      summary: result.failure ?? `the tool answered HTTP ${result.status}${result.accepted ? ' (accepted)' : ''}`,
      detail: { launchUrl: url.url, ...result },
      launchId: null,
    });
    await this.audit.record({
      actorUserId: principal.userId,
      organizationId: provider.organizationId,
      entityType: 'lti_provider',
      entityId: provider.id,
      action: 'test_launch',
      before: null,
      after: { launchUrl: url.url, status: result.status, accepted: result.accepted, failure: result.failure },
    });
    return result;
  }

  private params(provider: Lti1p1Provider, identity: ReturnType<typeof previewIdentity>) {
    return lti1p1LaunchParams({
      resourceLink: { id: `${SELF_TEST.id}-${provider.id}`, title: SELF_TEST.title, description: null },
      userId: identity.userId,
      roles: ['Learner', 'urn:lti:role:ims/lis/Learner/NonCreditLearner'],
      person: identity.person,
      context: { id: SELF_TEST.id, label: SELF_TEST.id, title: SELF_TEST.title, type: 'CourseOffering' },
      customParameters: provider.customParameters,
      presentation: {
        documentTarget: 'window',
        width: provider.presentation.width,
        height: provider.presentation.height,
        locale: 'en-US',
        // Where the test started: the provider's page (a test launch has no launch record to return to).
        returnUrl: `${this.settings.publicUrl}/admin/lti/providers/${provider.id}`,
      },
      toolConsumer: toolConsumerInfo(this.settings),
      outcome: null,
    });
  }

  private async send(url: string, form: Record<string, string>, sent: LaunchSent): Promise<TestLaunchResult> {
    try {
      const answer = await this.http.fetch({ method: 'POST', url, form, maxBytes: MAX_BYTES, timeoutMs: TIMEOUT_MS });
      return {
        sent,
        accepted: answer.status >= 200 && answer.status < 300,
        status: answer.status,
        contentType: answer.header('content-type') ?? null,
        body: answer.body.toString('utf8').slice(0, BODY_PREVIEW),
        failure: null,
      };
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      return {
        sent,
        accepted: false,
        status: null,
        contentType: null,
        body: '',
        failure: `launchUrl ${error.message}`,
      };
    }
  }
}
