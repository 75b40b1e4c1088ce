import { isIP } from 'node:net';
import { AppConfig, LOG_LEVELS, LogLevel } from './app-config';

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
    },
    database: { url: databaseUrl, embeddedPort },
    security: {
      secretKey: readSecretKey(env),
      sessionTtlSeconds: readInt(env, 'TMS_SESSION_TTL_SECONDS', 12 * 3600, 60, 30 * 86400),
      apiTokenTtlSeconds: readInt(env, 'TMS_API_TOKEN_TTL_SECONDS', 3600, 60, 30 * 86400),
    },
    lti: {
      // At least the longest lifetime of anything we sign (id_tokens: minutes) plus JWKS caching by tools.
      keyRotationOverlapSeconds: readInt(env, 'TMS_KEY_ROTATION_OVERLAP_SECONDS', 86400, 600, 90 * 86400),
      // LTI 1.1.1 §4 leaves the window to the consumer; 5 minutes is the common choice (Moodle, Canvas).
      oauthTimestampWindowSeconds: readInt(env, 'TMS_OAUTH_TIMESTAMP_WINDOW_SECONDS', 300, 30, 3600),
      instanceName: readOptional(env, 'TMS_INSTANCE_NAME') ?? 'TMS',
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
    const [address, prefix, ...rest] = text.split('/');
    const family = isIP(address);
    const bits = family === 4 ? 32 : 128;
    if (
      family === 0 ||
      rest.length > 0 ||
      (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) ||
      Number(prefix) > bits
    ) {
      throw new ConfigError(
        'TMS_OUTBOUND_ALLOW',
        `must be none, or loopback and CIDR networks (10.20.0.0/16), got "${text}"`,
      );
    }
    return `${address}/${prefix ?? bits}`;
  });
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
