/** Typed configuration, one namespace per concern. Read only by apps and persistence; core gets plain values. */
export interface AppConfig {
  readonly app: {
    readonly port: number;
    /** The LTI issuer and the base of every URL sent to tools and browsers. */
    readonly publicUrl: string;
    readonly logLevel: LogLevel;
    /** Where the embedded database and the generated secret key live. */
    readonly dataDir: string;
    /** Seed the demo data set even on a DATABASE_URL database. */
    readonly demo: boolean;
    /** HTTP worker processes `npm start` runs (node:cluster); 1 serves from the main process alone. */
    readonly workers: number;
    /** The old-generation heap of each cluster worker, in MB (`--max-old-space-size`); 0: V8's own limit. */
    readonly workerHeapMb: number;
  };
  readonly database: {
    /** Unset: embedded PostgreSQL under `dataDir`. */
    readonly url: string | undefined;
    readonly embeddedPort: number;
  };
  readonly security: {
    /** 32 bytes; AES-256-GCM for secrets at rest and HMAC for CSRF tokens. Undefined until resolved at boot. */
    readonly secretKey: Buffer | undefined;
    readonly sessionTtlSeconds: number;
    readonly apiTokenTtlSeconds: number;
    /** Brute-force protection of sign-in (per account and per client address). */
    readonly signIn: SignInThrottleConfig;
    /** Whose X-Forwarded-For names the client: nobody (the socket's address), a hop count, or proxy addresses. */
    readonly trustProxy: TrustProxy;
  };
  readonly lti: {
    /** How long a retired platform key stays published after a rotation. */
    readonly keyRotationOverlapSeconds: number;
    /** How far an LTI 1.1 `oauth_timestamp` may be from our clock, either way (nonces are kept as long). */
    readonly oauthTimestampWindowSeconds: number;
    /** `tool_consumer_instance_name` / `tool_platform.name`. */
    readonly instanceName: string;
    /**
     * How long a `rel="differences"` link of NRPS answers only the changes since it; older links get
     * the whole roster. The membership change log keeps at least this much history.
     */
    readonly nrpsDifferencesWindowHours: number;
    /** Delivery of Platform Notification Service notices: attempts, the first retry's wait (doubling), queue polling. */
    readonly notices: { readonly maxAttempts: number; readonly retryBaseSeconds: number; readonly pollMs: number };
  };
  /** What every fetch the platform makes (tool key sets, later registration and notices) may reach. */
  readonly outbound: {
    /**
     * Private or local addresses fetched from anyway (deny by default): `loopback`, or a network in
     * CIDR form (`10.20.0.0/16`, `fd00:1::/64`); a single address is its own /32 or /128.
     */
    readonly allow: readonly string[];
    /** Plain http to the allowed addresses too (never to public ones). */
    readonly allowHttp: boolean;
  };
  readonly bootstrap: {
    readonly adminEmail: string | undefined;
    readonly adminPassword: string | undefined;
  };
}

export interface SignInThrottleConfig {
  readonly accountAttempts: number;
  readonly addressAttempts: number;
  readonly lockoutSeconds: number;
  readonly maxLockoutSeconds: number;
  readonly forgetAfterSeconds: number;
}

/**
 * Express's `trust proxy`: false (use the socket's address), a number of proxy hops in front of us,
 * or the proxies' addresses and CIDR ranges (`loopback`, `linklocal`, `uniquelocal` name the usual ones).
 */
export type TrustProxy = false | number | readonly string[];

/** The configuration once boot has settled the database URL and the secret key. */
export interface RuntimeConfig extends AppConfig {
  readonly database: AppConfig['database'] & { readonly url: string };
  readonly security: AppConfig['security'] & { readonly secretKey: Buffer };
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Nest injection token for the resolved configuration. */
export const APP_CONFIG = Symbol('APP_CONFIG');
