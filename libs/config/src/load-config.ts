import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { AppConfig, LOG_LEVELS, LogLevel, SignInThrottleConfig, TrustProxy } from './app-config';

/** Thrown at boot; the message names the offending variable so the operator can fix it at once. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates the environment. Fails on the first bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const port = readInt(env, 'PORT', 3000, 1, 65535);
  const publicUrl = readPublicUrl(env, port);
  const databaseUrl = readDatabaseUrl(env);
  const embeddedPort = readInt(env, 'TMS_EMBEDDED_PG_PORT', 54329, 1024, 65535);
  if (embeddedPort === 5432)
    throw new ConfigError('TMS_EMBEDDED_PG_PORT', 'must not be 5432 (the default server port)');
  const adminEmail = readOptional(env, 'TMS_BOOTSTRAP_ADMIN_EMAIL');
  const adminPassword = readOptional(env, 'TMS_BOOTSTRAP_ADMIN_PASSWORD');
  if (adminEmail !== undefined && !/^[^\s@]+@[^\s@]+$/.test(adminEmail)) {
    throw new ConfigError('TMS_BOOTSTRAP_ADMIN_EMAIL', 'must be an email address');
  }
  if (adminEmail !== undefined && (adminPassword === undefined || adminPassword.length < 12)) {
    throw new ConfigError(
      'TMS_BOOTSTRAP_ADMIN_PASSWORD',
      'must be set to at least 12 characters when TMS_BOOTSTRAP_ADMIN_EMAIL is',
    );
  }
  return {
    app: {
      port,
      publicUrl,
      logLevel: readLogLevel(env),
      dataDir: readOptional(env, 'TMS_DATA_DIR') ?? './data',
      demo: readBoolean(env, 'TMS_DEMO'),
      // One per core by default: a Node process serves on one core (DESIGN.md §3, Processes).
      workers: readInt(env, 'TMS_WORKERS', availableParallelism(), 1, 256),
      // A worker holds about 60 MB live while it builds 1,000-row answers; unbounded, V8 let its heap
      // reach 450 MB before collecting (cluster.ts, workerFlags).
      workerHeapMb: readWorkerHeap(env),
    },
    database: { url: databaseUrl, embeddedPort },
    security: {
      secretKey: readSecretKey(env),
      sessionTtlSeconds: readInt(env, 'TMS_SESSION_TTL_SECONDS', 12 * 3600, 60, 30 * 86400),
      apiTokenTtlSeconds: readInt(env, 'TMS_API_TOKEN_TTL_SECONDS', 3600, 60, 30 * 86400),
      signIn: readSignInThrottle(env),
      trustProxy: readTrustProxy(env),
    },
    lti: {
      // At least the longest lifetime of anything we sign (id_tokens: minutes) plus JWKS caching by tools.
      keyRotationOverlapSeconds: readInt(env, 'TMS_KEY_ROTATION_OVERLAP_SECONDS', 86400, 600, 90 * 86400),
      // LTI 1.1.1 §4 leaves the window to the consumer; 5 minutes is the common choice (Moodle, Canvas).
      oauthTimestampWindowSeconds: readInt(env, 'TMS_OAUTH_TIMESTAMP_WINDOW_SECONDS', 300, 30, 3600),
      instanceName: readOptional(env, 'TMS_INSTANCE_NAME') ?? 'TMS',
      // How long NRPS differences links work and membership changes are kept (NRPS 2.0 §2.4.1): a week by default.
      nrpsDifferencesWindowHours: readInt(env, 'TMS_NRPS_DIFFERENCES_WINDOW_HOURS', 168, 1, 90 * 24),
      // Platform Notification Service deliveries: 5 attempts, 30 s, 1 min, 2 min, 4 min apart; queue polled every 5 s.
      notices: {
        maxAttempts: readInt(env, 'TMS_NOTICE_MAX_ATTEMPTS', 5, 1, 20),
        retryBaseSeconds: readInt(env, 'TMS_NOTICE_RETRY_BASE_SECONDS', 30, 1, 86400),
        pollMs: readInt(env, 'TMS_NOTICE_POLL_MS', 5000, 100, 600_000),
      },
    },
    // The embedded default is the local demo, whose tools run on this machine: loopback (and http) allowed there.
    outbound: {
      allow: readOutboundAllow(env, databaseUrl === undefined ? ['loopback'] : []),
      allowHttp: readBoolean(env, 'TMS_OUTBOUND_ALLOW_HTTP', databaseUrl === undefined),
    },
    bootstrap: { adminEmail: adminEmail?.toLowerCase(), adminPassword },
  };
}

function readOptional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function readWorkerHeap(env: Env): number {
  const mb = readInt(env, 'TMS_WORKER_HEAP_MB', 256, 0, 65_536);
  if (mb !== 0 && mb < 128) throw new ConfigError('TMS_WORKER_HEAP_MB', 'must be 0 (no limit) or at least 128');
  return mb;
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBoolean(env: Env, name: string, fallback = false): boolean {
  const raw = readOptional(env, name);
  if (raw === undefined) return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be 1 or 0, got "${raw}"`);
}

/** `none`, or a comma-separated list of `loopback`, IP addresses and CIDR networks. */
function readOutboundAllow(env: Env, fallback: readonly string[]): readonly string[] {
  const raw = readOptional(env, 'TMS_OUTBOUND_ALLOW');
  if (raw === undefined) return fallback;
  if (raw.toLowerCase() === 'none') return [];
  return raw.split(',').map((entry) => {
    const text = entry.trim().toLowerCase();
    if (text === 'loopback') return text;
    const network = cidrOf(text);
    if (network === null) {
      throw new ConfigError(
        'TMS_OUTBOUND_ALLOW',
        `must be none, or loopback and CIDR networks (10.20.0.0/16), got "${text}"`,
      );
    }
    return network;
  });
}

/** `10.0.0.0/8` as is, an address as its own network (`192.0.2.7/32`); null for anything else (`127.1`, `/33`). */
function cidrOf(text: string): string | null {
  const [address, prefix, ...rest] = text.split('/');
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  if (family === 0 || rest.length > 0 || (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) || Number(prefix) > bits) {
    return null;
  }
  return `${address}/${prefix ?? bits}`;
}

function readPublicUrl(env: Env, port: number): string {
  const raw = readOptional(env, 'PUBLIC_URL') ?? `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('PUBLIC_URL', `must be an absolute URL, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ConfigError('PUBLIC_URL', 'must be http or https');
  if (url.search || url.hash || url.username)
    throw new ConfigError('PUBLIC_URL', 'must not carry a query, fragment or credentials');
  // The issuer must compare byte for byte with what tools store, so one canonical form without a trailing slash.
  return url.toString().replace(/\/+$/, '');
}

function readDatabaseUrl(env: Env): string | undefined {
  const raw = readOptional(env, 'DATABASE_URL');
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError('DATABASE_URL', 'must be a postgres:// URL');
  }
  return raw;
}

/**
 * OWASP's Authentication cheat sheet leaves the numbers to us: a handful of tries per account, many
 * more per address (a whole office may sit behind one NAT), minutes of lockout at most.
 */
function readSignInThrottle(env: Env): SignInThrottleConfig {
  const accountAttempts = readInt(env, 'TMS_SIGNIN_ACCOUNT_ATTEMPTS', 5, 1, 100);
  const addressAttempts = readInt(env, 'TMS_SIGNIN_ADDRESS_ATTEMPTS', 50, 1, 100_000);
  if (addressAttempts < accountAttempts) {
    throw new ConfigError(
      'TMS_SIGNIN_ADDRESS_ATTEMPTS',
      `must be at least TMS_SIGNIN_ACCOUNT_ATTEMPTS (${accountAttempts})`,
    );
  }
  const lockoutSeconds = readInt(env, 'TMS_SIGNIN_LOCKOUT_SECONDS', 60, 1, 3600);
  const maxLockoutSeconds = readInt(env, 'TMS_SIGNIN_MAX_LOCKOUT_SECONDS', 900, 1, 86400);
  if (maxLockoutSeconds < lockoutSeconds) {
    throw new ConfigError(
      'TMS_SIGNIN_MAX_LOCKOUT_SECONDS',
      `must be at least TMS_SIGNIN_LOCKOUT_SECONDS (${lockoutSeconds})`,
    );
  }
  const forgetAfterSeconds = readInt(env, 'TMS_SIGNIN_FORGET_SECONDS', 86400, 1, 30 * 86400);
  if (forgetAfterSeconds < maxLockoutSeconds) {
    throw new ConfigError(
      'TMS_SIGNIN_FORGET_SECONDS',
      `must be at least TMS_SIGNIN_MAX_LOCKOUT_SECONDS (${maxLockoutSeconds})`,
    );
  }
  return { accountAttempts, addressAttempts, lockoutSeconds, maxLockoutSeconds, forgetAfterSeconds };
}

const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * X-Forwarded-For is whatever the client wrote unless a proxy we trust overwrote it, so trusting it
 * must be asked for, and "trust everyone" (true) is refused: anyone could pick their own address.
 */
function readTrustProxy(env: Env): TrustProxy {
  const raw = readOptional(env, 'TMS_TRUST_PROXY');
  if (raw === undefined || ['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  if (/^\d+$/.test(raw)) return readInt(env, 'TMS_TRUST_PROXY', 0, 1, 10);
  if (raw.toLowerCase() === 'true') {
    throw new ConfigError(
      'TMS_TRUST_PROXY',
      'must not be true (any client could name its own address): give a hop count or the proxy addresses',
    );
  }
  const entries = raw.split(',').map((entry) => entry.trim().toLowerCase());
  for (const entry of entries) {
    if (!PROXY_RANGE_NAMES.includes(entry) && cidrOf(entry) === null) {
      throw new ConfigError(
        'TMS_TRUST_PROXY',
        `must be a hop count or a comma-separated list of addresses, CIDR ranges or ${PROXY_RANGE_NAMES.join(', ')}; got "${entry}"`,
      );
    }
  }
  return entries;
}

function readLogLevel(env: Env): LogLevel {
  const raw = (readOptional(env, 'LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw as LogLevel;
}

/** 32 bytes as 64 hex characters or base64. */
export function parseSecretKey(raw: string, variable = 'TMS_SECRET_KEY'): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (
    key.length !== 32 ||
    (!/^[0-9a-fA-F]{64}$/.test(raw) && key.toString('base64').replace(/=+$/, '') !== raw.replace(/=+$/, ''))
  ) {
    throw new ConfigError(variable, 'must be 32 random bytes as 64 hex characters or base64 (openssl rand -hex 32)');
  }
  return key;
}

function readSecretKey(env: Env): Buffer | undefined {
  const raw = readOptional(env, 'TMS_SECRET_KEY');
  return raw === undefined ? undefined : parseSecretKey(raw);
}
