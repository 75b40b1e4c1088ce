import { createHash, createHmac } from 'node:crypto';
import {
  checkOAuthProtocolParams,
  isOAuthSignatureValid,
  oauthBaseString,
  oauthBodyHash,
  oauthNonce,
  oauthSignature,
  parseOAuthAuthorizationHeader,
  signOAuthForm,
} from './oauth1';

describe('oauthBaseString', () => {
  it('should match the RFC 5849 §3.4.1.1 example when query, body and protocol parameters are combined', () => {
    const base = oauthBaseString({
      method: 'post',
      url: 'HTTP://Example.com:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b',
      params: {
        c2: '',
        a3: '2 q',
        oauth_consumer_key: '9djdj82h48djs9d2',
        oauth_token: 'kkk9d7dh3k39sjv7',
        oauth_signature_method: 'HMAC-SHA1',
        oauth_timestamp: '137131201',
        oauth_nonce: '7d8f3e4a',
        oauth_signature: 'ignored',
      },
    });
    expect(base).toBe(
      'POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7',
    );
  });

  it('should encode a space of a launch URL query as %2520 when the LTI certification URL has one', () => {
    const base = oauthBaseString({ method: 'POST', url: 'https://tool.test/launch?x=a%20b', params: { y: '1' } });
    expect(base).toBe('POST&https%3A%2F%2Ftool.test%2Flaunch&x%3Da%2520b%26y%3D1');
  });

  it('should keep a non-default port and the path case when normalizing the URL', () => {
    expect(oauthBaseString({ method: 'POST', url: 'https://Tool.Test:8443/Launch', params: {} })).toBe(
      'POST&https%3A%2F%2Ftool.test%3A8443%2FLaunch&',
    );
  });
});

describe('oauthSignature', () => {
  it('should be the base64 HMAC-SHA1 of the base string keyed by the encoded secret and an ampersand', () => {
    const request = { method: 'POST', url: 'https://tool.test/launch?q=1', params: { a: 'b c', oauth_nonce: 'n' } };
    const expected = createHmac('sha1', 'se%26cret&').update(oauthBaseString(request)).digest('base64');
    expect(oauthSignature(request, 'se&cret')).toBe(expected);
  });
});

describe('signOAuthForm', () => {
  it('should add every protocol parameter with a random nonce and verify when nothing is changed', () => {
    const now = new Date('2026-11-22T10:00:00Z');
    const url = 'https://tool.test/launch?chapter=1';
    const signed = signOAuthForm(
      url,
      { user_id: 'u1' },
      { consumerKey: 'key', consumerSecret: 'secret' },
      {
        now,
        extra: { oauth_callback: 'about:blank' },
      },
    );
    expect(signed).toMatchObject({
      user_id: 'u1',
      oauth_consumer_key: 'key',
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: String(now.getTime() / 1000),
      oauth_version: '1.0',
      oauth_callback: 'about:blank',
    });
    expect(signed.oauth_nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const again = signOAuthForm(url, { user_id: 'u1' }, { consumerKey: 'key', consumerSecret: 'secret' });
    expect(again.oauth_nonce).not.toBe(signed.oauth_nonce);
    const request = { method: 'POST', url, params: signed };
    expect(isOAuthSignatureValid(request, signed.oauth_signature, 'secret')).toBe(true);
    expect(isOAuthSignatureValid(request, signed.oauth_signature, 'other')).toBe(false);
    expect(
      isOAuthSignatureValid({ ...request, params: { ...signed, user_id: 'u2' } }, signed.oauth_signature, 'secret'),
    ).toBe(false);
    expect(
      isOAuthSignatureValid(
        { ...request, url: 'https://tool.test/launch?chapter=2' },
        signed.oauth_signature,
        'secret',
      ),
    ).toBe(false);
    expect(isOAuthSignatureValid(request, 'short', 'secret')).toBe(false);
  });

  it('should draw nonces from node:crypto without repeats when called many times', () => {
    const nonces = new Set(Array.from({ length: 2000 }, () => oauthNonce()));
    expect(nonces.size).toBe(2000);
  });
});

describe('oauthBodyHash', () => {
  it('should be the base64 SHA-1 of the raw bytes', () => {
    expect(oauthBodyHash('Hello World!')).toBe('Lve95gjOVATpfV8EL5X4nxwjKHE=');
    expect(oauthBodyHash(Buffer.from('<x/>'))).toBe(createHash('sha1').update('<x/>').digest('base64'));
  });
});

describe('parseOAuthAuthorizationHeader', () => {
  it('should decode every parameter and leave out the realm when the header is well formed', () => {
    expect(
      parseOAuthAuthorizationHeader(
        'OAuth realm="",oauth_consumer_key="my%20key", oauth_signature="a%2Bb%3D",oauth_version="1.0"',
      ),
    ).toEqual({ oauth_consumer_key: 'my key', oauth_signature: 'a+b=', oauth_version: '1.0' });
  });

  it.each([undefined, '', 'Bearer x', 'OAuth oauth_nonce=unquoted', 'OAuth a="1", a="2"', 'OAuth a="%E0%A4%A"'])(
    'should return null when the header is %p',
    (header) => expect(parseOAuthAuthorizationHeader(header)).toBeNull(),
  );
});

describe('checkOAuthProtocolParams', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  const valid = {
    oauth_consumer_key: 'k',
    oauth_signature: 's',
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(now.getTime() / 1000 - 299),
    oauth_nonce: 'n',
    oauth_version: '1.0',
  };

  it('should pass when every parameter is present and the timestamp is inside the window', () => {
    expect(checkOAuthProtocolParams(valid, { now, windowSeconds: 300 })).toBeNull();
  });

  it.each([
    [{ oauth_nonce: undefined }, 'missing_parameter'],
    [{ oauth_signature_method: 'PLAINTEXT' }, 'unsupported_signature_method'],
    [{ oauth_signature_method: 'HMAC-SHA256' }, 'unsupported_signature_method'],
    [{ oauth_version: '2.0' }, 'missing_parameter'],
    [{ oauth_timestamp: String(now.getTime() / 1000 - 301) }, 'timestamp_out_of_window'],
    [{ oauth_timestamp: String(now.getTime() / 1000 + 301) }, 'timestamp_out_of_window'],
    [{ oauth_timestamp: '1.5e9' }, 'timestamp_out_of_window'],
  ])('should refuse %p with %s', (change, code) => {
    expect(checkOAuthProtocolParams({ ...valid, ...change }, { now, windowSeconds: 300 })?.code).toBe(code);
  });
});
