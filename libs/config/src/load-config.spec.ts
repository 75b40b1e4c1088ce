import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('should use safe defaults when the environment is empty', () => {
    const config = loadConfig({});
    expect(config.app.port).toBe(3000);
    expect(config.app.publicUrl).toBe('http://localhost:3000');
    expect(config.database.url).toBeUndefined();
    expect(config.database.embeddedPort).not.toBe(5432);
    expect(config.security.secretKey).toBeUndefined();
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PUBLIC_URL', 'not a url'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['TMS_SECRET_KEY', 'too-short'],
    ['LOG_LEVEL', 'loud'],
    ['TMS_EMBEDDED_PG_PORT', '5432'],
    ['TMS_DEMO', 'maybe'],
    ['TMS_OUTBOUND_ALLOW', 'everything'],
    ['TMS_OUTBOUND_ALLOW', '10.0.0.0/33'],
    ['TMS_OUTBOUND_ALLOW', '10.0.0.0/8/1'],
    ['TMS_OUTBOUND_ALLOW', '2130706433'],
    ['TMS_OUTBOUND_ALLOW', 'loopback,,10.0.0.0/8'],
    ['TMS_OUTBOUND_ALLOW_HTTP', 'sometimes'],
  ])('should name %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(variable);
  });

  it('should require a strong bootstrap password when a bootstrap email is set', () => {
    expect(() => loadConfig({ TMS_BOOTSTRAP_ADMIN_EMAIL: 'a@b.c', TMS_BOOTSTRAP_ADMIN_PASSWORD: 'short' })).toThrow(
      'TMS_BOOTSTRAP_ADMIN_PASSWORD',
    );
  });

  it('should accept a hex secret key and drop a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ TMS_SECRET_KEY: 'ab'.repeat(32), PUBLIC_URL: 'https://tms.example.com/' });
    expect(config.security.secretKey?.length).toBe(32);
    expect(config.app.publicUrl).toBe('https://tms.example.com');
  });

  it('should refuse private and local addresses by default when DATABASE_URL names a server', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db.example/tms' });
    expect(config.outbound).toEqual({ allow: [], allowHttp: false });
  });

  it('should allow loopback over http by default when the database is embedded (the local demo)', () => {
    expect(loadConfig({}).outbound).toEqual({ allow: ['loopback'], allowHttp: true });
    expect(loadConfig({ TMS_OUTBOUND_ALLOW: 'none', TMS_OUTBOUND_ALLOW_HTTP: '0' }).outbound).toEqual({
      allow: [],
      allowHttp: false,
    });
  });

  it('should read loopback, addresses and CIDR networks when TMS_OUTBOUND_ALLOW lists them', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db.example/tms',
      TMS_OUTBOUND_ALLOW: 'Loopback, 10.20.0.0/16,fd00:1::/64, 192.168.7.7',
      TMS_OUTBOUND_ALLOW_HTTP: '1',
    });
    expect(config.outbound).toEqual({
      allow: ['loopback', '10.20.0.0/16', 'fd00:1::/64', '192.168.7.7/32'],
      allowHttp: true,
    });
  });
});
