import { AGS_SCOPES, checkTokenRequest, grantedScopes, JWT_BEARER_ASSERTION_TYPE, NRPS_SCOPES } from './lti-services';

describe('checkTokenRequest', () => {
  const valid = {
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: 'a.b.c',
    scope: `${AGS_SCOPES.score}  ${AGS_SCOPES.score} ${NRPS_SCOPES.contextMembershipReadOnly}`,
  };

  it('should read the assertion and the distinct scopes when the request is well formed', () => {
    expect(checkTokenRequest(valid)).toEqual({
      ok: true,
      assertion: 'a.b.c',
      scopes: [AGS_SCOPES.score, NRPS_SCOPES.contextMembershipReadOnly],
    });
  });

  it.each<[Record<string, unknown>, string]>([
    [{ grant_type: 'authorization_code' }, 'unsupported_grant_type'],
    [{ grant_type: undefined }, 'unsupported_grant_type'],
    [{ client_assertion_type: 'urn:other' }, 'invalid_request'],
    [{ client_assertion: '' }, 'invalid_request'],
    [{ client_assertion: ['a', 'b'] }, 'invalid_request'],
    [{ scope: '   ' }, 'invalid_scope'],
    [{ scope: undefined }, 'invalid_scope'],
  ])('should refuse %p with %s', (change, error) => {
    expect(checkTokenRequest({ ...valid, ...change })).toMatchObject({ ok: false, error });
  });
});

describe('grantedScopes', () => {
  it('should grant what is asked and allowed, in the order asked', () => {
    expect(grantedScopes([NRPS_SCOPES.contextMembershipReadOnly, AGS_SCOPES.score, 'urn:other'], ['grades'])).toEqual([
      AGS_SCOPES.score,
    ]);
    expect(grantedScopes([NRPS_SCOPES.contextMembershipReadOnly, AGS_SCOPES.lineItem], ['grades', 'roster'])).toEqual([
      NRPS_SCOPES.contextMembershipReadOnly,
      AGS_SCOPES.lineItem,
    ]);
    expect(grantedScopes([AGS_SCOPES.score], ['deep_linking'])).toEqual([]);
  });
});
