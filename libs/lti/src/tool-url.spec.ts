import { checkToolUrl, isLoopbackHost, TOOL_URL_MAX_LENGTH } from './tool-url';

function reasonOf(input: string): string {
  const check = checkToolUrl(input);
  if (check.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return check.reason;
}

describe('checkToolUrl', () => {
  it.each([
    'https://tool.example/launch',
    'https://tool.example:8443/lti/launch?course=1&x=a%20b',
    'HTTPS://Tool.Example/Launch',
    'https://203.0.113.7/launch',
  ])('should accept %s when it is an absolute https URL', (input) => {
    expect(checkToolUrl(input)).toEqual({ ok: true, url: input });
  });

  it.each([
    'http://localhost/launch',
    'http://localhost:3000/lti',
    'http://127.0.0.1:8080/launch',
    'http://127.0.0.2/launch',
    'http://127.10.20.30/jwks',
    'http://[::1]:4000/login',
    'http://tool.localhost:3000/launch',
  ])('should accept %s when http points at a loopback host', (input) => {
    expect(checkToolUrl(input)).toEqual({ ok: true, url: input });
  });

  it.each([
    'http://example.com/launch',
    'http://tool.example/jwks',
    'http://10.0.0.1/launch',
    'http://128.0.0.1/launch',
    'http://127.0.0.1.evil.example/launch',
    'http://localhost.evil.example/launch',
    'http://evil-localhost/launch',
    'http://[::2]/launch',
  ])('should refuse %s when http points at a host that is not loopback', (input) => {
    expect(reasonOf(input)).toContain('https');
  });

  it.each(['ftp://tool.example/file', 'javascript:alert(1)', 'data:text/html,hi', 'mailto:a@tool.example'])(
    'should refuse %s when the scheme is neither https nor http',
    (input) => {
      expect(reasonOf(input)).toBe('must start with https:// (http:// only on this machine: localhost or 127.0.0.1)');
    },
  );

  it.each(['https://tool.example/launch#section', 'https://tool.example/#', 'http://localhost/cb#x'])(
    'should refuse %s when it has a fragment',
    (input) => {
      expect(reasonOf(input)).toContain('fragment');
    },
  );

  it.each(['https://user:pass@tool.example/launch', 'https://user@tool.example/', 'https://:pass@tool.example/'])(
    'should refuse %s when it carries credentials',
    (input) => {
      expect(reasonOf(input)).toContain('user name or password');
    },
  );

  it.each(['/launch', 'tool.example/launch', '//tool.example/launch', 'not_a_url', 'https://'])(
    'should refuse %s when it is not an absolute URL',
    (input) => {
      expect(reasonOf(input)).toBe('is not a web address (it must start with https://)');
    },
  );

  it.each([
    'https:tool.example/launch',
    'https:/tool.example/launch',
    'http:localhost/launch',
    'https:\\\\tool.example/',
  ])('should refuse %s when the scheme is not followed by //', (input) => {
    expect(new URL(input).protocol).toMatch(/^https?:$/);
    expect(reasonOf(input)).toBe('is not a web address (it must start with https://)');
  });

  it.each([
    'https://tool.example/a b',
    'https://tool.example/a\tb',
    'https://tool.example/\nlaunch',
    'https://tool\u00a0.example/',
  ])('should refuse %j when it contains whitespace inside', (input) => {
    expect(reasonOf(input)).toBe('contains spaces');
  });

  it.each(['not a url', 'tool example com'])('should refuse %j as no web address when it is words', (input) => {
    expect(reasonOf(input)).toBe('is not a web address (it must start with https://)');
  });

  it.each(['', '   ', '\n\t'])('should refuse %j when it is empty', (input) => {
    expect(reasonOf(input)).toBe('is empty');
  });

  it('should refuse a URL when it is longer than the limit, and accept one of exactly the limit', () => {
    const prefix = 'https://tool.example/';
    const exact = prefix + 'a'.repeat(TOOL_URL_MAX_LENGTH - prefix.length);
    expect(exact).toHaveLength(TOOL_URL_MAX_LENGTH);
    expect(checkToolUrl(exact)).toEqual({ ok: true, url: exact });
    expect(reasonOf(`${exact}a`)).toContain(`longer than ${TOOL_URL_MAX_LENGTH}`);
  });

  it('should return the trimmed input exactly when it is accepted, without normalizing it', () => {
    const written = 'HTTPS://Tool.Example:443/a/../launch?b=2&a=1';
    expect(checkToolUrl(`  ${written}\n`)).toEqual({ ok: true, url: written });
    expect(new URL(written).href).not.toBe(written);
  });
});

describe('isLoopbackHost', () => {
  it.each(['localhost', '127.0.0.1', '127.255.255.254', '[::1]', 'a.localhost', 'a.b.localhost'])(
    'should be true when the host is %s',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );

  it.each(['example.com', '0.0.0.0', '::1', '127.0.0', '127.0.0.1.example', 'mylocalhost', '10.127.0.1'])(
    'should be false when the host is %s',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});
