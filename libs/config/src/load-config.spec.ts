import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('should use safe defaults when the environment is empty', () => {
    const config = loadConfig({});
    expect(config.app.port).toBe(3000);
    expect(config.app.publicUrl).toBe('http://localhost:3000');
    expect(config.database.url).toBeUndefined();
    expect(config.database.embeddedPort).not.toBe(5432);
    expect(config.security.secretKey).toBeUndefined();
    expect(config.security.signIn).toEqual({
      accountAttempts: 5,
      addressAttempts: 50,
      lockoutSeconds: 60,
      maxLockoutSeconds: 900,
      forgetAfterSeconds: 86400,
    });
    expect(config.security.trustProxy).toBe(false);
  });

  it('should run one worker per core when TMS_WORKERS is unset, and as many as it says when set', () => {
    expect(loadConfig({}).app.workers).toBe(availableParallelism());
    expect(loadConfig({ TMS_WORKERS: '1' }).app.workers).toBe(1);
    expect(loadConfig({ TMS_WORKERS: '3' }).app.workers).toBe(3);
  });

  it("should bound each worker's heap at 256 MB when TMS_WORKER_HEAP_MB is unset, and as it says when set", () => {
    expect(loadConfig({}).app.workerHeapMb).toBe(256);
    expect(loadConfig({ TMS_WORKER_HEAP_MB: '512' }).app.workerHeapMb).toBe(512);
    expect(loadConfig({ TMS_WORKER_HEAP_MB: '0' }).app.workerHeapMb).toBe(0);
  });

  it.each(['64', '-1', 'lots'])('should refuse TMS_WORKER_HEAP_MB=%s', (value) => {
    expect(() => loadConfig({ TMS_WORKER_HEAP_MB: value })).toThrow(/TMS_WORKER_HEAP_MB/);
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
    ['TMS_WORKERS', '0'],
    ['TMS_WORKERS', 'all'],
    ['TMS_SIGNIN_ACCOUNT_ATTEMPTS', '0'],
    ['TMS_SIGNIN_ADDRESS_ATTEMPTS', 'many'],
    ['TMS_SIGNIN_LOCKOUT_SECONDS', '0'],
    ['TMS_SIGNIN_MAX_LOCKOUT_SECONDS', '100000'],
    ['TMS_SIGNIN_FORGET_SECONDS', '-1'],
    ['TMS_TRUST_PROXY', 'true'],
    ['TMS_TRUST_PROXY', '11'],
    ['TMS_TRUST_PROXY', '127.1'],
    ['TMS_TRUST_PROXY', '10.0.0.0/33'],
    ['TMS_TRUST_PROXY', 'loopback, proxy.example.com'],
    ['TMS_OUTBOUND_ALLOW', 'everything'],
    ['TMS_OUTBOUND_ALLOW', '10.0.0.0/33'],
    ['TMS_OUTBOUND_ALLOW', '10.0.0.0/8/1'],
    ['TMS_OUTBOUND_ALLOW', '2130706433'],
    ['TMS_OUTBOUND_ALLOW', 'loopback,,10.0.0.0/8'],
    ['TMS_OUTBOUND_ALLOW_HTTP', 'sometimes'],
    ['TMS_NRPS_DIFFERENCES_WINDOW_HOURS', '0'],
    ['TMS_NRPS_DIFFERENCES_WINDOW_HOURS', 'a week'],
    ['TMS_NOTICE_MAX_ATTEMPTS', '0'],
    ['TMS_NOTICE_RETRY_BASE_SECONDS', 'soon'],
    ['TMS_NOTICE_POLL_MS', '10'],
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

  it('should refuse sign-in limits that contradict each other, naming the variable', () => {
    expect(() => loadConfig({ TMS_SIGNIN_ACCOUNT_ATTEMPTS: '10', TMS_SIGNIN_ADDRESS_ATTEMPTS: '5' })).toThrow(
      'TMS_SIGNIN_ADDRESS_ATTEMPTS',
    );
    expect(() => loadConfig({ TMS_SIGNIN_LOCKOUT_SECONDS: '600', TMS_SIGNIN_MAX_LOCKOUT_SECONDS: '300' })).toThrow(
      'TMS_SIGNIN_MAX_LOCKOUT_SECONDS',
    );
    expect(() => loadConfig({ TMS_SIGNIN_MAX_LOCKOUT_SECONDS: '3600', TMS_SIGNIN_FORGET_SECONDS: '600' })).toThrow(
      'TMS_SIGNIN_FORGET_SECONDS',
    );
  });

  it.each([
    ['0', false],
    ['off', false],
    ['1', 1],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.0.2.10 ,fd00::/8,uniquelocal', ['10.0.0.0/8', '192.0.2.10', 'fd00::/8', 'uniquelocal']],
  ])('should read TMS_TRUST_PROXY %p as %p', (raw, expected) => {
    expect(loadConfig({ TMS_TRUST_PROXY: raw }).security.trustProxy).toEqual(expected);
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
