import { Lti1p3Registration, LtiProvider } from '../catalog/lti-provider';
import { lti1p1Provider, lti1p3Provider } from '../testing/catalog.factories';
import { presentationOf, sameSite, toolOrigins } from './launch-presentation';

const PLATFORM = 'https://tms.example.com';

/** A provider on lab.tool.org that asks for `target`: LTI 1.3 with `lti1p3`'s registration, else LTI 1.1. */
function provider(target: 'iframe' | 'window', lti1p3: Partial<Lti1p3Registration> | null): LtiProvider {
  const presentation = { target, width: null, height: null };
  if (!lti1p3) return lti1p1Provider({ presentation });
  return lti1p3Provider(
    { presentation },
    {
      loginUrl: 'https://lab.tool.org/login',
      redirectUris: ['https://lab.tool.org/launch', 'https://app.tool.org/launch'],
      targetLinkUri: 'https://lab.tool.org/launch',
      jwksUrl: 'https://lab.tool.org/jwks',
      ...lti1p3,
    },
  );
}

describe('presentationOf', () => {
  it('should keep the frame when an LTI 1.1 provider asks for it, wherever the tool is', () => {
    expect(presentationOf(provider('iframe', null), PLATFORM)).toEqual({ target: 'iframe', path: 'frame' });
  });

  it('should keep the frame when a 1.3 tool is on the platform’s own site', () => {
    const sameSiteTool = provider('iframe', { loginUrl: 'https://lab.example.com/login' });
    expect(presentationOf(sameSiteTool, PLATFORM)).toEqual({ target: 'iframe', path: 'frame' });
  });

  it('should fall back to a new window when a 1.3 tool on another site does not use platform storage', () => {
    expect(presentationOf(provider('iframe', {}), PLATFORM)).toEqual({ target: 'window', path: 'window_fallback' });
  });

  it('should keep the frame with platform storage when a 1.3 tool on another site uses it', () => {
    expect(presentationOf(provider('iframe', { platformStorage: true }), PLATFORM)).toEqual({
      target: 'iframe',
      path: 'frame_platform_storage',
    });
  });

  it('should open a window when the provider says window, platform storage or not', () => {
    expect(presentationOf(provider('window', { platformStorage: true }), PLATFORM)).toEqual({
      target: 'window',
      path: 'window',
    });
  });

  it('should still record the fallback when a tool that cannot be framed is opened in the window its link asked for', () => {
    expect(presentationOf(provider('iframe', {}), PLATFORM, true)).toEqual({
      target: 'window',
      path: 'window_fallback',
    });
  });

  it('should open a window when the person asked for one beside a framed tool', () => {
    expect(presentationOf(provider('iframe', { platformStorage: true }), PLATFORM, true)).toEqual({
      target: 'window',
      path: 'window',
    });
  });
});

describe('toolOrigins', () => {
  it('should list each origin of the login URL, redirect URIs, target link URI and placement once when the tool is 1.3', () => {
    expect(toolOrigins(provider('iframe', {}), { url: 'https://content.tool.org:8443/unit/1' })).toEqual([
      'https://lab.tool.org',
      'https://app.tool.org',
      'https://content.tool.org:8443',
    ]);
  });

  it('should list the launch URL’s origin when the tool is 1.1', () => {
    expect(toolOrigins(provider('iframe', null), { url: 'http://localhost:4000/lti?x=1' })).toEqual([
      'http://localhost:4000',
    ]);
  });
});

describe('sameSite', () => {
  it.each([
    ['https://tms.example.com', 'https://lab.example.com/login', true],
    ['https://tms.example.co.uk', 'https://lab.example.co.uk/login', true],
    ['https://a.co.uk', 'https://b.co.uk/login', false],
    ['https://tms.example.com', 'https://tool.example.org/login', false],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:4000/login', true],
    ['http://127.0.0.1:3000', 'http://127.0.0.2:4000/login', false],
    ['https://tms.example.com', 'http://lab.example.com/login', false],
  ])('should say %s and %s are same-site: %s', (a, b, expected) => {
    expect(sameSite(a, b)).toBe(expected);
  });
});
