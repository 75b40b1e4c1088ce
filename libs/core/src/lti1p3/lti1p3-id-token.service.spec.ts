import { AGS_SCOPES, LaunchPerson, LIS_ROLES, LTI_CLAIM, PNS_CLAIM } from '@tms/lti';
import { DEFAULT_PRIVACY, LtiProvider, LtiService, ProviderPrivacy } from '../catalog/lti-provider';
import { LineItem } from '../grading/line-item.repository';
import { User } from '../identity/user';
import { UserRepository } from '../identity/user.repository';
import { PlatformKeysService } from '../keys/platform-keys.service';
import { LaunchContext } from '../launch/launch-context.service';
import { LaunchRecorder, PendingLaunch } from '../launch/launch-recorder';
import { LaunchSent } from '../launch/launch-sent';
import { LtiSettings } from '../launch/lti-settings';
import { PlatformUrls } from '../launch/platform-urls';
import { ltiContextOf, ltiResourceLinkIdIn } from '../learning/lti-context';
import { lti1p1Provider, lti1p3Provider } from '../testing/catalog.factories';
import { user } from '../testing/identity.factories';
import { launchContext } from '../testing/launch.factories';
import { activity, course, courseClass } from '../testing/learning.factories';
import { LineItemsService } from './ags/line-items.service';
import { ID_TOKEN_LIFETIME_SECONDS, Lti1p3IdTokenService } from './lti1p3-id-token.service';
import { MigrationClaim, MigrationClaimInput } from './migration-claim';

const ISSUER = 'https://platform.example';
const settings: LtiSettings = { publicUrl: ISSUER, instanceName: 'Example Platform', oauthTimestampWindowSeconds: 300 };
const person = user({ id: 'user-1' });

function toolWith(services: readonly LtiService[], privacy: ProviderPrivacy = DEFAULT_PRIVACY) {
  return lti1p3Provider(
    { id: 'provider-1', privacy },
    { clientId: 'client-1', deploymentId: 'deployment-1', services },
  );
}

function setUp(options: { found?: User | null } = {}) {
  const users = {
    findById: jest.fn<Promise<User | null>, [string]>(async () =>
      options.found === undefined ? person : options.found,
    ),
  };
  const keys = {
    signJwt: jest.fn<Promise<string>, [Record<string, unknown>, number, { backdateSeconds?: number }?]>(
      // Shaped like a JWS (header.payload.signature) so that the recorder can keep the payload as sent.
      async (claims) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`,
    ),
  };
  const pending = {
    id: 'launch-1',
    commit: jest.fn<Promise<void>, [readonly string[], readonly string[], LaunchSent?, LaunchPerson?]>(
      async () => undefined,
    ),
  };
  const recorder = { begin: jest.fn<PendingLaunch, [LaunchContext, string]>(() => pending) };
  const lineItems = {
    lineItemAtLaunch: jest.fn<Promise<LineItem>, [LtiProvider, LaunchContext]>(
      async () => ({ id: 'line-item-1' }) as LineItem,
    ),
  };
  const migration = {
    claims: jest.fn<Promise<Record<string, unknown>>, [MigrationClaimInput]>(async (input) => ({ exp: input.exp })),
  };
  const service = new Lti1p3IdTokenService(
    users as unknown as UserRepository,
    keys as unknown as PlatformKeysService,
    recorder as unknown as LaunchRecorder,
    settings,
    new PlatformUrls(settings),
    lineItems as unknown as LineItemsService,
    migration as unknown as MigrationClaim,
  );
  const launch = (context: LaunchContext) => service.resourceLinkLaunch(context, 'nonce-1');
  const claims = () => keys.signJwt.mock.calls[0][0];
  return { launch, claims, keys, pending, recorder, lineItems, migration };
}

describe('Lti1p3IdTokenService.resourceLinkLaunch', () => {
  it('should sign the launch’s claims and record it with the roles and person fields sent when a learner launches', async () => {
    const { launch, claims, keys, pending } = setUp();
    const context = launchContext({ provider: toolWith([]) });

    expect(await launch(context)).toEqual({ idToken: await keys.signJwt.mock.results[0].value, launchId: 'launch-1' });

    const ltiContext = ltiContextOf(course(), courseClass());
    expect(claims()).toMatchObject({
      iss: ISSUER,
      aud: 'client-1',
      azp: 'client-1',
      sub: 'user-1',
      nonce: 'nonce-1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      [LTI_CLAIM.messageType]: 'LtiResourceLinkRequest',
      [LTI_CLAIM.version]: '1.3.0',
      [LTI_CLAIM.deploymentId]: 'deployment-1',
      [LTI_CLAIM.targetLinkUri]: context.link.url,
      [LTI_CLAIM.resourceLink]: { id: ltiResourceLinkIdIn(activity(), ltiContext), title: 'Chapter 3 quiz' },
      [LTI_CLAIM.roles]: [LIS_ROLES.learner],
      [LTI_CLAIM.context]: expect.objectContaining({ id: 'class-1' }),
      [LTI_CLAIM.launchPresentation]: expect.objectContaining({ return_url: `${ISSUER}/lti/launches/launch-1/return` }),
    });
    expect(claims()).not.toHaveProperty([LTI_CLAIM.agsEndpoint]);
    expect(claims()).not.toHaveProperty([LTI_CLAIM.nrps]);
    expect(claims()).not.toHaveProperty([PNS_CLAIM]);
    expect(keys.signJwt).toHaveBeenCalledWith(expect.any(Object), ID_TOKEN_LIFETIME_SECONDS, { backdateSeconds: 5 });
    expect(pending.commit).toHaveBeenCalledWith(
      [LIS_ROLES.learner],
      ['fullName', 'givenName', 'familyName', 'email', 'sourcedId', 'username'],
      { version: '1.3', claims: claims() },
      expect.objectContaining({ email: expect.any(String) }),
    );
  });

  it('should announce the context’s line items with the placement’s own and its roster when the tool is granted both', async () => {
    const { launch, claims, lineItems } = setUp();
    const context = launchContext({ provider: toolWith(['grades', 'roster']) });

    await launch(context);

    expect(lineItems.lineItemAtLaunch).toHaveBeenCalledWith(context.provider, context);
    expect(claims()[LTI_CLAIM.agsEndpoint]).toEqual({
      scope: Object.values(AGS_SCOPES),
      lineitems: `${ISSUER}/lti/1p3/ags/contexts/class-1/lineitems`,
      lineitem: `${ISSUER}/lti/1p3/ags/contexts/class-1/lineitems/line-item-1`,
    });
    expect(claims()[LTI_CLAIM.nrps]).toEqual({
      context_memberships_url: `${ISSUER}/lti/1p3/nrps/contexts/class-1/memberships`,
      service_versions: ['2.0'],
    });
  });

  it('should name the notice handler endpoint when the tool is granted the Platform Notification Service', async () => {
    const { launch, claims } = setUp();
    await launch(launchContext({ provider: toolWith(['notices']) }));
    expect(claims()[PNS_CLAIM]).toEqual({
      service_versions: ['1.0'],
      platform_notification_service_url: `${ISSUER}/lti/1p3/pns/notice-handlers`,
      scope: ['https://purl.imsglobal.org/spec/lti/scope/noticehandlers'],
      notice_types_supported: ['LtiHelloWorldNotice', 'LtiContextCopyNotice'],
    });
    expect(claims()).not.toHaveProperty([LTI_CLAIM.nrps]);
  });

  it('should send the test learner with the TestUser role and no personal fields when an author previews an anonymous tool', async () => {
    const { launch, claims, pending } = setUp();
    const anonymous = toolWith([], { level: 'anonymous', userIdSource: 'internal' });

    await launch(launchContext({ kind: 'preview', enrollment: null, courseClass: null, provider: anonymous }));

    expect(claims()).toMatchObject({
      sub: `test-learner-${person.id}`,
      [LTI_CLAIM.roles]: [LIS_ROLES.learner, LIS_ROLES.testUser],
      [LTI_CLAIM.context]: expect.objectContaining({ id: 'course-1:self-paced' }),
    });
    expect(claims()).not.toHaveProperty('name');
    expect(claims()).not.toHaveProperty('email');
    expect(pending.commit).toHaveBeenCalledWith(
      [LIS_ROLES.learner, LIS_ROLES.testUser],
      [],
      { version: '1.3', claims: claims() },
      expect.any(Object),
    );
  });

  it.each([
    ['the account is suspended', user({ status: 'suspended' })],
    ['the account is gone', null],
  ])('should refuse, sign nothing and record no launch when %s', async (_, found) => {
    const { launch, keys, pending, recorder } = setUp({ found });

    await expect(launch(launchContext({ provider: toolWith([]) }))).rejects.toMatchObject({ code: 'forbidden' });

    expect(keys.signJwt).not.toHaveBeenCalled();
    expect(recorder.begin).not.toHaveBeenCalled();
    expect(pending.commit).not.toHaveBeenCalled();
  });

  it('should refuse, sign nothing and record no launch when the tool is not an LTI 1.3 tool', async () => {
    const { launch, keys, recorder } = setUp();

    await expect(launch(launchContext({ provider: lti1p1Provider() }))).rejects.toMatchObject({ code: 'unavailable' });

    expect(keys.signJwt).not.toHaveBeenCalled();
    expect(recorder.begin).not.toHaveBeenCalled();
  });
});
