// Minimal typing of the parts of ltijs 5.x and ltijs-sequelize 2.x (untyped Babel output) that
// test/support/lti1p3-tool.ts and the tests using it touch. Read node_modules/ltijs/dist for the rest.
declare module 'ltijs' {
  import type { Express, NextFunction, Request, Response } from 'express';

  /** The Database plugin contract ltijs calls (ltijs-sequelize implements it). */
  export interface LtijsDatabase {
    setup(): Promise<boolean>;
    Close(): Promise<boolean>;
    Get(encryptionKey: string | false, table: string, info?: Record<string, unknown>): Promise<any[] | false>;
  }

  /**
   * What ltijs puts in res.locals.token: NOT the id_token's claims, but its own digest of them, stored in its
   * database (idtoken + contexttoken tables) and reloaded on each ltik request.
   */
  export interface LtijsIdToken {
    iss: string;
    user: string;
    userInfo: { given_name?: string; family_name?: string; name?: string; email?: string };
    platformInfo?: Record<string, unknown>;
    clientId: string;
    /** ltijs' kid of the key pair it generated for this platform registration. */
    platformId: string;
    deploymentId: string;
    platformContext: LtijsContextToken;
    [key: string]: unknown;
  }

  export interface LtijsContextToken {
    contextId: string;
    user: string;
    /** The path the id_token was posted to. */
    path: string;
    messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
    version: string;
    roles: string[];
    targetLinkUri: string;
    context?: Record<string, unknown>;
    resource?: { id: string; title?: string; description?: string };
    custom?: Record<string, unknown>;
    launchPresentation?: Record<string, unknown>;
    /** The AGS claim (lineitems, lineitem, scope). */
    endpoint?: { scope?: string[]; lineitems?: string; lineitem?: string };
    /** The NRPS claim (context_memberships_url, service_versions). */
    namesRoles?: { context_memberships_url: string; service_versions?: string[] };
    deepLinkingSettings?: {
      deep_link_return_url: string;
      accept_types: string[];
      accept_presentation_document_targets?: string[];
      accept_multiple?: boolean | string;
      auto_create?: boolean;
      data?: string;
      [key: string]: unknown;
    };
    lis?: Record<string, unknown>;
    [key: string]: unknown;
  }

  export interface LtijsPlatform {
    platformUrl(): Promise<string>;
    platformClientId(): Promise<string>;
    platformName(): Promise<string>;
    /** ltijs' kid of this registration's key pair (also its "platform id"). */
    platformKid(): Promise<string>;
    platformPublicKey(): Promise<string>;
    platformAuthEndpoint(): Promise<string>;
    platformAccessTokenEndpoint(): Promise<string>;
    /** Gets (or reuses) an access token from the platform's token endpoint with a signed client assertion. */
    platformAccessToken(scopes: string): Promise<Record<string, unknown>>;
    platformAuthorizationServer(): Promise<string>;
    platformAuthConfig(): Promise<{ method: string; key: string }>;
    platformActive(active?: boolean): Promise<boolean>;
    /** The (cached) access token response, with token_type capitalised. */
    platformAccessToken(scopes: string): Promise<{ access_token: string; token_type: string; expires_in?: number }>;
    delete(): Promise<boolean>;
  }

  export interface LtijsPlatformRegistration {
    url: string;
    name: string;
    clientId: string;
    authenticationEndpoint: string;
    accesstokenEndpoint: string;
    authorizationServer?: string;
    authConfig: { method: 'RSA_KEY' | 'JWK_KEY' | 'JWK_SET'; key: string };
  }

  export interface LtijsSetupOptions {
    appRoute?: string;
    loginRoute?: string;
    keysetRoute?: string;
    dynRegRoute?: string;
    cors?: boolean;
    devMode?: boolean;
    tokenMaxAge?: number | false;
    cookies?: { secure?: boolean; sameSite?: string; domain?: string };
    /** Called with the express app after ltijs' body and cookie parsers, before its session validator. */
    serverAddon?: (app: Express) => void;
    [key: string]: unknown;
  }

  export type LtijsCallback = (
    token: LtijsIdToken,
    req: Request,
    res: Response,
    next: NextFunction,
  ) => unknown | Promise<unknown>;
  export type LtijsErrorCallback = (req: Request, res: Response, next: NextFunction) => unknown | Promise<unknown>;

  export interface LtijsDeepLinkingOptions {
    message?: string;
    /** ltijs writes it under a claim name with a trailing space ("…/errormsg "), so platforms never see it. */
    errMessage?: string;
    log?: string;
    errLog?: string;
  }

  export interface LtijsGradeService {
    getLineItems(idtoken: LtijsIdToken, options?: Record<string, unknown>): Promise<any>;
    createLineItem(
      idtoken: LtijsIdToken,
      lineItem: Record<string, unknown>,
      options?: Record<string, unknown>,
    ): Promise<any>;
    getLineItemById(idtoken: LtijsIdToken, lineItemId: string): Promise<any>;
    updateLineItemById(idtoken: LtijsIdToken, lineItemId: string, lineItem: Record<string, unknown>): Promise<any>;
    deleteLineItemById(idtoken: LtijsIdToken, lineItemId: string): Promise<any>;
    /** Overwrites score.timestamp with now and defaults score.userId to idtoken.user. */
    submitScore(idtoken: LtijsIdToken, lineItemId: string, score: Record<string, unknown>): Promise<any>;
    getScores(idtoken: LtijsIdToken, lineItemId: string, options?: Record<string, unknown>): Promise<any>;
    deleteLineItems(idtoken: LtijsIdToken, options?: Record<string, unknown>): Promise<any>;
  }

  export interface LtijsNamesAndRolesService {
    getMembers(
      idtoken: LtijsIdToken,
      options?: { role?: string; limit?: number; pages?: number | false; url?: string; resourceLinkId?: boolean },
    ): Promise<any>;
  }

  export interface LtijsDeepLinkingService {
    /** An auto-submitting HTML form posting JWT=<message> to deepLinkingSettings.deep_link_return_url. */
    createDeepLinkingForm(
      idtoken: LtijsIdToken,
      contentItems: Record<string, unknown>[] | Record<string, unknown>,
      options?: LtijsDeepLinkingOptions,
    ): Promise<string>;
    /** The signed LtiDeepLinkingResponse JWT (RS256, kid = platformId, exp 60 s). */
    createDeepLinkingMessage(
      idtoken: LtijsIdToken,
      contentItems: Record<string, unknown>[] | Record<string, unknown>,
      options?: LtijsDeepLinkingOptions,
    ): Promise<string>;
  }

  export interface LtijsProvider {
    /** The Provider class itself (ltijs exports only a ready-made instance); `new` gives an independent one. */
    readonly constructor: new () => LtijsProvider;
    app: Express;
    Database: LtijsDatabase;
    Grade: LtijsGradeService;
    NamesAndRoles: LtijsNamesAndRolesService;
    DeepLinking: LtijsDeepLinkingService;
    setup(
      encryptionKey: string,
      database: { plugin: LtijsDatabase } | { url: string; [key: string]: unknown },
      options?: LtijsSetupOptions,
    ): LtijsProvider;
    deploy(options?: { port?: number; silent?: boolean; serverless?: boolean }): Promise<true>;
    close(options?: { silent?: boolean }): Promise<true>;
    onConnect(callback: LtijsCallback): true;
    onDeepLinking(callback: LtijsCallback): true;
    onInvalidToken(callback: LtijsErrorCallback): true;
    onSessionTimeout(callback: LtijsErrorCallback): true;
    onUnregisteredPlatform(callback: LtijsErrorCallback): true;
    onInactivePlatform(callback: LtijsErrorCallback): true;
    registerPlatform(platform: LtijsPlatformRegistration): Promise<LtijsPlatform>;
    getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
    getPlatform(url: string): Promise<LtijsPlatform[] | false>;
    deletePlatform(url: string, clientId: string): Promise<true>;
    redirect(
      res: Response,
      path: string,
      options?: { newResource?: boolean; query?: Record<string, string> },
    ): Promise<void>;
    appRoute(): string;
    loginRoute(): string;
    keysetRoute(): string;
    whitelist(...routes: (string | RegExp | { route: string | RegExp; method: string })[]): unknown[];
  }

  export const Provider: LtijsProvider;
}

declare module 'ltijs-sequelize' {
  import type { LtijsDatabase } from 'ltijs';

  /** Same arguments as Sequelize's (database, user, password, options); options.dialect is required. */
  class Database implements LtijsDatabase {
    constructor(database: string, user: string, password: string, options: Record<string, unknown>);
    setup(): Promise<boolean>;
    Close(): Promise<boolean>;
    Get(encryptionKey: string | false, table: string, info?: Record<string, unknown>): Promise<any[] | false>;
  }
  export = Database;
}
