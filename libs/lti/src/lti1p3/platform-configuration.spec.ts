import { launchVariables } from '../launch-variables';
import { LTI1P3_VARIABLES, LTI_PLATFORM_CONFIGURATION, platformConfiguration } from './platform-configuration';

const endpoints = {
  issuer: 'https://platform.example',
  authorizationEndpoint: 'https://platform.example/lti/1p3/authorize',
  tokenEndpoint: 'https://platform.example/lti/1p3/token',
  jwksUri: 'https://platform.example/.well-known/jwks.json',
  registrationEndpoint: 'https://platform.example/lti/1p3/registrations',
};

describe('platformConfiguration', () => {
  const configuration = platformConfiguration(endpoints, { productFamilyCode: 'tms', version: '1.0' });

  it('should carry every member Dynamic Registration 1.0 §3.4 requires when built', () => {
    expect(configuration).toMatchObject({
      issuer: 'https://platform.example',
      authorization_endpoint: endpoints.authorizationEndpoint,
      token_endpoint: endpoints.tokenEndpoint,
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      jwks_uri: endpoints.jwksUri,
      registration_endpoint: endpoints.registrationEndpoint,
      response_types_supported: ['id_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    });
    expect(configuration.scopes_supported).toEqual(
      expect.arrayContaining([
        'openid',
        'https://purl.imsglobal.org/spec/lti-ags/scope/score',
        'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
      ]),
    );
    expect(configuration.claims_supported).toEqual(expect.arrayContaining(['iss', 'sub', 'name', 'email']));
  });

  it('should describe the platform, its messages and variables under the LTI platform configuration key when built', () => {
    const lti = configuration[LTI_PLATFORM_CONFIGURATION];
    expect(lti.product_family_code).toBe('tms');
    expect(lti.version).toBe('1.0');
    expect(lti.messages_supported.map((m) => m.type)).toEqual([
      'LtiResourceLinkRequest',
      'LtiDeepLinkingRequest',
      'LtiSubmissionReviewRequest',
    ]);
    expect(lti.variables).toContain('Context.id');
  });

  it('should list exactly the variables a 1.3 launch resolves, without the 1.1-only outcome variables', () => {
    const resolved = launchVariables({
      userId: 'u',
      roles: ['Learner'],
      person: { fullName: 'A', givenName: 'A', familyName: 'B', email: 'a@b', sourcedId: 's', username: 'u' },
      context: { id: 'c', label: 'C', title: 'Course', type: 'CourseOffering' },
      resourceLink: { id: 'r', title: 'R', description: null },
      toolConsumer: { instanceGuid: 'g', instanceName: 'n', productFamilyCode: 'p', version: 'v' },
      outcome: null,
    });
    const oneOneOnly = ['Result.sourcedId', 'BasicOutcome.url', 'ToolConsumerInstance.guid'];
    expect([...LTI1P3_VARIABLES].sort()).toEqual(
      Object.keys(resolved)
        .filter((n) => !oneOneOnly.includes(n))
        .sort(),
    );
  });
});
