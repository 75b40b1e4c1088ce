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
});
