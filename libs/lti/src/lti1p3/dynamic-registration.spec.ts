import { checkClientRegistration, LTI_TOOL_CONFIGURATION } from './dynamic-registration';

const valid = (changes: Record<string, unknown> = {}, tool: Record<string, unknown> = {}) => ({
  application_type: 'web',
  response_types: ['id_token'],
  grant_types: ['client_credentials', 'implicit'],
  initiate_login_uri: 'https://tool.example/login',
  redirect_uris: ['https://tool.example/launch', 'https://tool.example/launch'],
  client_name: 'Tool',
  jwks_uri: 'https://keys.tool.example/jwks',
  token_endpoint_auth_method: 'private_key_jwt',
  scope: 'https://purl.imsglobal.org/spec/lti-ags/scope/score openid',
  [LTI_TOOL_CONFIGURATION]: {
    target_link_uri: 'https://tool.example/launch',
    claims: ['iss', 'sub', 'email'],
    messages: [{ type: 'LtiDeepLinkingRequest', label: 'Pick' }],
    custom_parameters: { a: 'b' },
    ...tool,
  },
  ...changes,
});

describe('checkClientRegistration (LTI Dynamic Registration 1.0 §3.5.1; RFC 7591 §3.2.2)', () => {
  it('should take a complete registration and keep what the tool asked for when everything is offered', () => {
    const check = checkClientRegistration(valid());
    expect(check).toEqual({
      ok: true,
      request: expect.objectContaining({
        clientName: 'Tool',
        redirectUris: ['https://tool.example/launch'],
        scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score', 'openid'],
        claims: ['iss', 'sub', 'email'],
        messages: [{ type: 'LtiDeepLinkingRequest', targetLinkUri: null, label: 'Pick' }],
        customParameters: { a: 'b' },
      }),
    });
  });

  it.each([
    [
      'a redirect URI on another host',
      valid({ redirect_uris: ['https://evil.example/launch'] }),
      'invalid_redirect_uri',
    ],
    [
      'a redirect URI on another port',
      valid({ redirect_uris: ['https://tool.example:8443/x'] }),
      'invalid_redirect_uri',
    ],
    ['no redirect URI', valid({ redirect_uris: [] }), 'invalid_redirect_uri'],
    ['a plain http login URI', valid({ initiate_login_uri: 'http://tool.example/login' }), 'invalid_client_metadata'],
    ['an authorization code grant', valid({ grant_types: ['authorization_code'] }), 'invalid_client_metadata'],
    [
      'an extra grant',
      valid({ grant_types: ['implicit', 'client_credentials', 'refresh_token'] }),
      'invalid_client_metadata',
    ],
    ['a code response type', valid({ response_types: ['code'] }), 'invalid_client_metadata'],
    ['a client secret', valid({ token_endpoint_auth_method: 'client_secret_basic' }), 'invalid_client_metadata'],
    ['a native application', valid({ application_type: 'native' }), 'invalid_client_metadata'],
    ['a scope not offered', valid({ scope: 'https://tool.example/all' }), 'invalid_client_metadata'],
    ['a claim not supported', valid({}, { claims: ['ssn'] }), 'invalid_client_metadata'],
    [
      'a message type not offered',
      valid({}, { messages: [{ type: 'LtiStartProctoring' }] }),
      'invalid_client_metadata',
    ],
    ['no tool configuration', valid({ [LTI_TOOL_CONFIGURATION]: undefined }), 'invalid_client_metadata'],
    ['no client name', valid({ client_name: undefined }), 'invalid_client_metadata'],
    ['not an object', [], 'invalid_client_metadata'],
  ])('should refuse %s with the error RFC 7591 names', (_case, body, error) => {
    const check = checkClientRegistration(JSON.parse(JSON.stringify(body)));
    expect(check).toMatchObject({ ok: false, error, description: expect.any(String) });
  });
});
