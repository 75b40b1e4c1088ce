import { Injectable } from '@nestjs/common';
import { lti1p1LaunchParams, mergeCustomParameters, oauthBaseString, signOAuthForm } from '@tms/lti';
import { LtiProviderRepository } from '../catalog/lti-provider.repository';
import { LtiProvider } from '../catalog/lti-provider';
import { sharedSecretContext } from '../catalog/provider-support';
import { DomainError } from '../errors/domain-error';
import { ResultSourcedIds } from './result-sourced-id';
import { UserRepository } from '../identity/user.repository';
import { LaunchContext } from '../launch/launch-context.service';
import { launchIdentity, previewIdentity } from '../launch/launch-identity';
import { LaunchRecorder } from '../launch/launch-recorder';
import { LaunchSent } from '../launch/launch-sent';
import { PlatformUrls } from '../launch/platform-urls';
import { SignedLaunchForm } from '../launch/signed-launch-form';
import { LtiSettings, toolConsumerInfo } from '../launch/lti-settings';
import { ltiContextOf, ltiResourceLinkOf } from '../learning/lti-context';
import { SecretBox } from '../security/secret-box';

/** LIS context roles, short form (LTI 1.1.1 §A.2); a preview's test learner takes no credit. */
const ROLES = {
  learner: ['Learner'],
  instructor: ['Instructor'],
  preview: ['Learner', 'urn:lti:role:ims/lis/Learner/NonCreditLearner'],
} as const;

/** The LTI 1.1 basic launch (LTI 1.1.1 Implementation Guide §3), signed with OAuth 1.0a HMAC-SHA1. */
@Injectable()
export class Lti1p1LaunchService {
  constructor(
    private readonly users: UserRepository,
    private readonly providers: LtiProviderRepository,
    private readonly secrets: SecretBox,
    private readonly sourcedIds: ResultSourcedIds,
    private readonly recorder: LaunchRecorder,
    private readonly settings: LtiSettings,
    private readonly urls: PlatformUrls,
  ) {}

  async launch(context: LaunchContext): Promise<SignedLaunchForm> {
    const { provider, link, activity, course, kind } = context;
    const user = context.person ?? (await this.users.findById(context.userId));
    if (!user || user.status !== 'active') throw new DomainError('forbidden', 'Your account cannot launch activities');
    const identity =
      kind === 'preview' ? previewIdentity(user, provider.privacy) : launchIdentity(user, provider.privacy);
    const pending = this.recorder.begin(context, '1.1');
    const roles = ROLES[kind];
    const ltiContext = ltiContextOf(course, context.courseClass);
    const params = lti1p1LaunchParams({
      resourceLink: ltiResourceLinkOf(activity, ltiContext),
      userId: identity.userId,
      roles,
      person: identity.person,
      context: ltiContext,
      customParameters: mergeCustomParameters(provider.customParameters, link.customParameters),
      presentation: {
        documentTarget: context.documentTarget,
        width: provider.presentation.width,
        height: provider.presentation.height,
        locale: 'en-US',
        returnUrl: this.urls.url('launchReturn', { launchId: pending.id }),
      },
      toolConsumer: toolConsumerInfo(this.settings),
      outcome: this.outcome(context),
    });
    const fields = await this.sign(provider, link.url, params);
    const { oauth_signature: _signature, ...signed } = fields;
    const sent: LaunchSent = {
      version: '1.1',
      url: link.url,
      consumerKey: provider.lti1p1?.consumerKey ?? '',
      parameters: fields,
      baseString: oauthBaseString({ method: 'POST', url: link.url, params: signed }),
    };
    await pending.commit(roles, identity.piiSent, sent, identity.person);
    return {
      launchId: pending.id,
      action: link.url,
      fields,
      target: context.documentTarget,
      width: provider.presentation.width,
      height: provider.presentation.height,
    };
  }

  /** Signs any LTI 1.1 message to this provider (launches and Content-Item requests alike). */
  async sign(provider: LtiProvider, url: string, params: Record<string, string>): Promise<Record<string, string>> {
    const sealed = provider.lti1p1 && (await this.providers.findSealedSecret(provider.id));
    if (!provider.lti1p1 || !sealed) throw new DomainError('unavailable', 'This tool has no LTI 1.1 credentials');
    const consumerSecret = this.secrets.open(sealed, sharedSecretContext(provider.id));
    // oauth_callback is required by OAuth 1.0a and fixed to about:blank by LTI 1.1.1 §4.
    return signOAuthForm(
      url,
      params,
      { consumerKey: provider.lti1p1.consumerKey, consumerSecret },
      { extra: { oauth_callback: 'about:blank' } },
    );
  }

  /** Only placements that take a score get a result to write, and never an instructor (§6). */
  private outcome(context: LaunchContext) {
    if (!context.link.requiresScoreForCompletion || context.kind === 'instructor') return null;
    const sourcedId = context.enrollment
      ? this.sourcedIds.sign({
          kind: 'enrollment',
          enrollmentId: context.enrollment.id,
          activityId: context.activity.id,
          userId: context.userId,
        })
      : this.sourcedIds.sign({ kind: 'preview', activityId: context.activity.id, userId: context.userId });
    return { serviceUrl: this.urls.url('outcomes'), sourcedId };
  }
}
