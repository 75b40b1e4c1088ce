import { checkHandlerRegistration, NOTICE_CLAIM, noticeBody, noticeClaims, pnsClaim, PNS_SCOPES } from './pns';
import { grantedScopes } from './lti-services';

describe('LTI Platform Notification Service', () => {
  it('should name the endpoint, the scope and the notice types we send in the launch claim', () => {
    expect(pnsClaim('https://platform.example/lti/1p3/pns/notice-handlers')).toEqual({
      service_versions: ['1.0'],
      platform_notification_service_url: 'https://platform.example/lti/1p3/pns/notice-handlers',
      scope: ['https://purl.imsglobal.org/spec/lti/scope/noticehandlers'],
      notice_types_supported: ['LtiHelloWorldNotice', 'LtiContextCopyNotice'],
    });
  });

  it('should grant the noticehandlers scope only when the tool has the notices service', () => {
    expect(grantedScopes([PNS_SCOPES.noticeHandlers], ['notices'])).toEqual([PNS_SCOPES.noticeHandlers]);
    expect(grantedScopes([PNS_SCOPES.noticeHandlers], ['roster', 'grades'])).toEqual([]);
  });

  it('should accept a handler registration and read "" as removing the handler', () => {
    expect(
      checkHandlerRegistration({ notice_type: 'LtiHelloWorldNotice', handler: 'https://tool.example/notices?x=1' }),
    ).toEqual({ ok: true, noticeType: 'LtiHelloWorldNotice', handler: 'https://tool.example/notices?x=1' });
    expect(checkHandlerRegistration({ notice_type: 'LtiContextCopyNotice', handler: '' })).toEqual({
      ok: true,
      noticeType: 'LtiContextCopyNotice',
      handler: null,
    });
  });

  it.each([
    [null, 'notice_type'],
    [{ handler: 'https://tool.example' }, 'notice_type'],
    [{ notice_type: 'LtiOtherNotice', handler: 'https://tool.example' }, 'notice_type'],
    [{ notice_type: 'LtiHelloWorldNotice' }, 'handler'],
    [{ notice_type: 'LtiHelloWorldNotice', handler: 42 }, 'handler'],
    [{ notice_type: 'LtiHelloWorldNotice', handler: 'tool.example/notices' }, 'handler'],
    [{ notice_type: 'LtiHelloWorldNotice', handler: 'ftp://tool.example/notices' }, 'handler'],
    [{ notice_type: 'LtiHelloWorldNotice', handler: 'https://user:pw@tool.example/' }, 'handler'],
    [{ notice_type: 'LtiHelloWorldNotice', handler: `https://tool.example/${'a'.repeat(2100)}` }, 'handler'],
  ])('should refuse the registration %p, naming %s', (body, field) => {
    expect(checkHandlerRegistration(body)).toMatchObject({ ok: false, field });
  });

  it('should write the notice claims of the spec and post notices as {notices: [{jwt}]}', () => {
    const claims = noticeClaims({
      issuer: 'https://platform.example',
      clientId: 'client-1',
      deploymentId: 'deployment-1',
      noticeId: 'notice-1',
      type: 'LtiContextCopyNotice',
      timestamp: new Date('2026-03-19T11:24:25Z'),
      nonce: 'nonce-1',
      claims: { 'https://purl.imsglobal.org/spec/lti/claim/origin_contexts': ['old'] },
    });
    expect(claims).toEqual({
      iss: 'https://platform.example',
      aud: 'client-1',
      azp: 'client-1',
      nonce: 'nonce-1',
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'deployment-1',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      [NOTICE_CLAIM]: { id: 'notice-1', timestamp: '2026-03-19T11:24:25.000Z', type: 'LtiContextCopyNotice' },
      'https://purl.imsglobal.org/spec/lti/claim/origin_contexts': ['old'],
    });
    expect(noticeBody(['a.b.c'])).toEqual({ notices: [{ jwt: 'a.b.c' }] });
  });
});
