import {
  AuthorizationCheck,
  AuthorizationRequest,
  checkAuthorizationRequest,
  Lti1p3LaunchInput,
  lti1p3IdTokenClaims,
  oauthConsumerKeySign,
} from './lti1p3-claims';

/** Claim names written out as LTI Core 1.3 §5.3–5.4 spells them, not taken from the constants under test. */
const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  targetLinkUri: 'https://purl.imsglobal.org/spec/lti/claim/target_link_uri',
  resourceLink: 'https://purl.imsglobal.org/spec/lti/claim/resource_link',
  roles: 'https://purl.imsglobal.org/spec/lti/claim/roles',
  context: 'https://purl.imsglobal.org/spec/lti/claim/context',
  toolPlatform: 'https://purl.imsglobal.org/spec/lti/claim/tool_platform',
  launchPresentation: 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation',
  lis: 'https://purl.imsglobal.org/spec/lti/claim/lis',
  custom: 'https://purl.imsglobal.org/spec/lti/claim/custom',
  lti1p1: 'https://purl.imsglobal.org/spec/lti/claim/lti1p1',
  agsEndpoint: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
} as const;

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
const COURSE_SECTION = 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseSection';
const COURSE_OFFERING = 'http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering';

describe('oauthConsumerKeySign', () => {
  /*
   * Computed once by hand, outside the code under test:
   *   node -e "console.log(require('node:crypto').createHmac('sha256', 'secret')
   *     .update('key&dep&iss&client&1700000000&nonce').digest('base64'))"
   * and cross-checked with
   *   printf '%s' 'key&dep&iss&client&1700000000&nonce' | openssl dgst -sha256 -hmac secret -binary | base64
   */
  const EXPECTED = '0t7Bzh9nAp5+wW3NEGDfTiyT0edwR+A1JSgj7ezoFqU=';
  const fields = {
    consumerKey: 'key',
    deploymentId: 'dep',
    issuer: 'iss',
    clientId: 'client',
    exp: 1700000000,
    nonce: 'nonce',
  };

  it('should match the hand-computed HMAC-SHA256 vector when it signs key&dep&iss&client&exp&nonce', () => {
    expect(oauthConsumerKeySign('secret', fields)).toBe(EXPECTED);
  });

  it('should give another signature when the secret differs', () => {
    expect(oauthConsumerKeySign('other-secret', fields)).not.toBe(EXPECTED);
  });

  it('should give another signature when the fields are the same but in another order', () => {
    expect(oauthConsumerKeySign('secret', { ...fields, issuer: 'client', clientId: 'iss' })).not.toBe(EXPECTED);
  });
});

const baseInput: Lti1p3LaunchInput = {
  issuer: 'https://platform.example',
  clientId: 'client-1',
  deploymentId: 'deployment-1',
  nonce: 'nonce-123',
  targetLinkUri: 'https://tool.example/launch',
  messageType: 'LtiResourceLinkRequest',
  userId: 'user-42',
  person: {
    fullName: 'Ada Lovelace',
    givenName: 'Ada',
    familyName: 'Lovelace',
    email: 'ada@example.org',
    sourcedId: 'sis-42',
    username: 'ada',
  },
  roles: [LEARNER],
  context: { id: 'class-7', label: 'BIO-101', title: 'Biology', type: 'CourseSection' },
  resourceLink: { id: 'rl-9', title: 'Chapter 3 quiz' },
  customParameters: [
    { name: 'user', value: '$User.id' },
    { name: 'unknown', value: '$Unknown.variable' },
    { name: 'withheld', value: '$Person.email.primary' },
    { name: 'plain', value: 'hello world' },
  ],
  variables: { 'User.id': 'user-42', 'Person.email.primary': null },
  presentation: {
    documentTarget: 'iframe',
    width: null,
    height: null,
    locale: 'fr-FR',
    returnUrl: 'https://platform.example/courses/1',
  },
  toolPlatform: {
    instanceGuid: 'platform.example',
    instanceName: 'Example Platform',
    productFamilyCode: 'tms-lti-consumer',
    version: '0.1.0',
  },
};

const claimsOf = (overrides: Partial<Lti1p3LaunchInput> = {}) => lti1p3IdTokenClaims({ ...baseInput, ...overrides });

describe('lti1p3IdTokenClaims', () => {
  it('should write every claim of LTI Core 1.3 §5.3–5.4 when it builds a resource link launch', () => {
    expect(claimsOf()).toEqual({
      iss: 'https://platform.example',
      aud: 'client-1',
      azp: 'client-1',
      sub: 'user-42',
      nonce: 'nonce-123',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: 'ada@example.org',
      [CLAIM.messageType]: 'LtiResourceLinkRequest',
      [CLAIM.version]: '1.3.0',
      [CLAIM.deploymentId]: 'deployment-1',
      [CLAIM.targetLinkUri]: 'https://tool.example/launch',
      [CLAIM.resourceLink]: { id: 'rl-9', title: 'Chapter 3 quiz' },
      [CLAIM.roles]: [LEARNER],
      [CLAIM.context]: { id: 'class-7', label: 'BIO-101', title: 'Biology', type: [COURSE_SECTION] },
      [CLAIM.toolPlatform]: {
        guid: 'platform.example',
        name: 'Example Platform',
        product_family_code: 'tms-lti-consumer',
        version: '0.1.0',
      },
      [CLAIM.launchPresentation]: {
        document_target: 'iframe',
        return_url: 'https://platform.example/courses/1',
        locale: 'fr-FR',
      },
      [CLAIM.lis]: { person_sourcedid: 'sis-42', course_section_sourcedid: 'class-7' },
      [CLAIM.custom]: {
        user: 'user-42',
        unknown: '$Unknown.variable',
        withheld: '$Person.email.primary',
        plain: 'hello world',
      },
    });
  });

  it('should set aud and azp to the client id when it builds any launch', () => {
    const claims = claimsOf({ clientId: 'another-client' });
    expect(claims.aud).toBe('another-client');
    expect(claims.azp).toBe('another-client');
  });

  it('should write the Deep Linking message type when the input asks for it', () => {
    expect(claimsOf({ messageType: 'LtiDeepLinkingRequest' })[CLAIM.messageType]).toBe('LtiDeepLinkingRequest');
  });

  it('should leave out the resource_link claim when there is no resource link', () => {
    expect(claimsOf({ resourceLink: null })).not.toHaveProperty([CLAIM.resourceLink]);
  });

  it('should send the roles as an array of full URIs when several roles are given', () => {
    const roles = [
      'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor',
      'http://purl.imsglobal.org/vocab/lis/v2/membership#ContentDeveloper',
    ];
    expect(claimsOf({ roles })[CLAIM.roles]).toEqual(roles);
  });

  it('should send context.type as the CourseOffering URI and course_offering_sourcedid when the context is an offering', () => {
    const claims = claimsOf({ context: { id: 'course-3', label: 'CHEM', title: 'Chemistry', type: 'CourseOffering' } });
    expect(claims[CLAIM.context]).toEqual({
      id: 'course-3',
      label: 'CHEM',
      title: 'Chemistry',
      type: [COURSE_OFFERING],
    });
    expect(claims[CLAIM.lis]).toEqual({ person_sourcedid: 'sis-42', course_offering_sourcedid: 'course-3' });
  });

  it('should leave out lis.person_sourcedid when no sourced id is sent', () => {
    expect(claimsOf({ person: { ...baseInput.person, sourcedId: null } })[CLAIM.lis]).toEqual({
      course_section_sourcedid: 'class-7',
    });
  });

  it('should add width and height to launch_presentation only when they are set', () => {
    const both = claimsOf({
      presentation: { ...baseInput.presentation, documentTarget: 'window', width: 800, height: 600 },
    });
    expect(both[CLAIM.launchPresentation]).toEqual({
      document_target: 'window',
      return_url: 'https://platform.example/courses/1',
      locale: 'fr-FR',
      width: 800,
      height: 600,
    });
    const widthOnly = claimsOf({ presentation: { ...baseInput.presentation, width: 640 } });
    expect(widthOnly[CLAIM.launchPresentation]).toEqual({
      document_target: 'iframe',
      return_url: 'https://platform.example/courses/1',
      locale: 'fr-FR',
      width: 640,
    });
    const heightOnly = claimsOf({ presentation: { ...baseInput.presentation, height: 480 } });
    expect(heightOnly[CLAIM.launchPresentation]).toEqual({
      document_target: 'iframe',
      return_url: 'https://platform.example/courses/1',
      locale: 'fr-FR',
      height: 480,
    });
  });

  it('should leave out every person claim when the privacy setting withheld them all', () => {
    const claims = claimsOf({
      person: { fullName: null, givenName: null, familyName: null, email: null, sourcedId: null, username: null },
    });
    for (const name of ['name', 'given_name', 'family_name', 'email']) expect(claims).not.toHaveProperty([name]);
    expect(claims.sub).toBe('user-42');
  });

  it('should keep only the person claims that are not null when some are withheld', () => {
    const claims = claimsOf({ person: { ...baseInput.person, fullName: null, email: null } });
    expect(claims).toMatchObject({ given_name: 'Ada', family_name: 'Lovelace' });
    expect(claims).not.toHaveProperty(['name']);
    expect(claims).not.toHaveProperty(['email']);
  });

  it('should send an empty custom claim when there are no custom parameters', () => {
    expect(claimsOf({ customParameters: [] })[CLAIM.custom]).toEqual({});
  });

  it('should merge the extra service and migration claims when they are given', () => {
    const ags = {
      scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
      lineitem: 'https://platform.example/lti/1p3/ags/lineitems/1',
    };
    const lti1p1 = { user_id: 'legacy-42', oauth_consumer_key: 'key', oauth_consumer_key_sign: 'c2ln' };
    const claims = claimsOf({ extraClaims: { [CLAIM.agsEndpoint]: ags, [CLAIM.lti1p1]: lti1p1 } });
    expect(claims[CLAIM.agsEndpoint]).toEqual(ags);
    expect(claims[CLAIM.lti1p1]).toEqual(lti1p1);
    expect(claims[CLAIM.version]).toBe('1.3.0');
  });

  it('should not carry iat nor exp when it builds the payload (the signer sets them)', () => {
    const claims = claimsOf();
    expect(claims).not.toHaveProperty(['iat']);
    expect(claims).not.toHaveProperty(['exp']);
  });
});

describe('checkAuthorizationRequest', () => {
  const registration = {
    clientId: 'client-1',
    redirectUris: ['https://tool.example/launch', 'https://tool.example/other-launch'],
  };
  const valid: AuthorizationRequest = {
    scope: 'openid',
    response_type: 'id_token',
    client_id: 'client-1',
    redirect_uri: 'https://tool.example/launch',
    login_hint: 'login-hint-1',
    state: 'state-1',
    response_mode: 'form_post',
    nonce: 'nonce-1',
    prompt: 'none',
    lti_message_hint: 'message-hint-1',
  };
  const check = (overrides: Partial<AuthorizationRequest>): AuthorizationCheck =>
    checkAuthorizationRequest({ ...valid, ...overrides }, registration);

  const UNKNOWN_CLIENT: AuthorizationCheck = {
    ok: false,
    local: true,
    message: 'The tool sent an unknown client_id.',
  };
  const UNREGISTERED_REDIRECT: AuthorizationCheck = {
    ok: false,
    local: true,
    message: 'The tool asked to return to a redirect_uri that is not registered for it.',
  };

  it('should accept the request when every parameter is as LTI Security 1.0 §5.1.1.2 requires', () => {
    expect(check({})).toEqual({ ok: true });
  });

  it('should accept the request when scope is "openid profile"', () => {
    expect(check({ scope: 'openid profile' })).toEqual({ ok: true });
  });

  it('should accept the request when the redirect_uri is another registered one', () => {
    expect(check({ redirect_uri: 'https://tool.example/other-launch' })).toEqual({ ok: true });
  });

  it.each<[string, Partial<AuthorizationRequest>]>([
    ['another client', { client_id: 'client-2' }],
    ['no client_id', { client_id: undefined }],
  ])('should answer locally when the client_id is wrong (%s)', (_, overrides) => {
    expect(check(overrides)).toEqual(UNKNOWN_CLIENT);
  });

  it('should answer locally about the client_id first when the rest of the request is wrong too', () => {
    expect(check({ client_id: 'client-2', redirect_uri: 'https://evil.example/', scope: 'profile' })).toEqual(
      UNKNOWN_CLIENT,
    );
  });

  it.each<[string, string | undefined]>([
    ['missing', undefined],
    ['empty', ''],
    ['unregistered', 'https://evil.example/launch'],
    ['the registered URL with a query', 'https://tool.example/launch?x=1'],
    ['the registered URL with a trailing slash', 'https://tool.example/launch/'],
    ['the registered URL with another host case', 'https://TOOL.example/launch'],
    ['the registered URL with another path case', 'https://tool.example/Launch'],
    ['the registered URL with a fragment', 'https://tool.example/launch#x'],
    ['the registered URL over http', 'http://tool.example/launch'],
  ])('should answer locally and post nothing when the redirect_uri is %s', (_, redirectUri) => {
    expect(check({ redirect_uri: redirectUri })).toEqual(UNREGISTERED_REDIRECT);
  });

  it('should check the redirect_uri before any posted error when both are wrong', () => {
    expect(check({ redirect_uri: 'https://evil.example/', scope: 'profile', nonce: undefined })).toEqual(
      UNREGISTERED_REDIRECT,
    );
  });

  it.each<[string, Partial<AuthorizationRequest>, string, string]>([
    ['scope is missing', { scope: undefined }, 'invalid_scope', 'scope must include openid'],
    ['scope has no openid', { scope: 'profile email' }, 'invalid_scope', 'scope must include openid'],
    ['scope only starts with openid', { scope: 'openidconnect' }, 'invalid_scope', 'scope must include openid'],
    ['response_type is code', { response_type: 'code' }, 'unsupported_response_type', 'response_type must be id_token'],
    [
      'response_type is missing',
      { response_type: undefined },
      'unsupported_response_type',
      'response_type must be id_token',
    ],
    ['response_mode is query', { response_mode: 'query' }, 'invalid_request', 'response_mode must be form_post'],
    ['response_mode is missing', { response_mode: undefined }, 'invalid_request', 'response_mode must be form_post'],
    [
      'prompt is missing',
      { prompt: undefined },
      'invalid_request',
      'prompt must be none: this platform does not prompt',
    ],
    ['prompt is login', { prompt: 'login' }, 'invalid_request', 'prompt must be none: this platform does not prompt'],
    ['nonce is missing', { nonce: undefined }, 'invalid_request', 'nonce is required'],
    ['nonce is empty', { nonce: '' }, 'invalid_request', 'nonce is required'],
    ['nonce is 256 characters long', { nonce: 'n'.repeat(256) }, 'invalid_request', 'nonce is too long'],
    ['login_hint is missing', { login_hint: undefined }, 'login_required', 'login_hint is required'],
    ['lti_message_hint is missing', { lti_message_hint: undefined }, 'invalid_request', 'lti_message_hint is required'],
  ])('should post the OIDC error back when %s', (_, overrides, error, description) => {
    expect(check(overrides)).toEqual({ ok: false, local: false, error, description });
  });

  it('should accept a nonce when it is exactly 255 characters long', () => {
    expect(check({ nonce: 'n'.repeat(255) })).toEqual({ ok: true });
  });

  it('should accept the request when state is absent (state is optional)', () => {
    expect(check({ state: undefined })).toEqual({ ok: true });
  });
});
