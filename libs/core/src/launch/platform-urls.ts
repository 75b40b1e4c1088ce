import { Injectable } from '@nestjs/common';
import { PlatformConfiguration, platformConfiguration } from '@tms/lti';
import { LtiSettings, PRODUCT_FAMILY_CODE, PRODUCT_VERSION } from './lti-settings';

/**
 * Every path the platform hands out to tools (and the pages a tool sends people back to), as the
 * router's pattern. Controllers route on these strings and PlatformUrls builds links from the same
 * ones, so each path is written once and a link can never drift from its route.
 */
export const PLATFORM_ROUTES = {
  /** The platform's public keys (LTI Security Framework §6.3). */
  jwks: '.well-known/jwks.json',
  /** Our OpenID configuration (LTI Dynamic Registration 1.0 §3.4; OIDC Discovery 1.0 §4). */
  openidConfiguration: '.well-known/openid-configuration',
  /** Where a tool posts its client registration (LTI Dynamic Registration 1.0 §3.5; RFC 7591 §3). */
  registration: 'lti/1p3/registrations',
  /** OIDC authorization endpoint of the 1.3 launch (LTI Security Framework §5.1.1.2). */
  authorize: 'lti/1p3/authorize',
  /** OAuth 2.0 client credentials token endpoint of LTI Advantage (LTI Security Framework §4.1). */
  token: 'lti/1p3/token',
  /** Where a tool posts its LtiDeepLinkingResponse (Deep Linking 2.0 §4.4 `deep_link_return_url`). */
  deepLinkingReturn: 'lti/1p3/deep-linking/return',
  /** A context's line item container (AGS 2.0 §3.1 `lineitems`) and its line items, scores, results. */
  lineItems: 'lti/1p3/ags/contexts/:contextId/lineitems',
  lineItem: 'lti/1p3/ags/contexts/:contextId/lineitems/:lineItemId',
  lineItemScores: 'lti/1p3/ags/contexts/:contextId/lineitems/:lineItemId/scores',
  lineItemResults: 'lti/1p3/ags/contexts/:contextId/lineitems/:lineItemId/results',
  /** A context's roster (NRPS 2.0 §3.1 `context_memberships_url`). */
  memberships: 'lti/1p3/nrps/contexts/:contextId/memberships',
  /** The calling tool's notice handlers (LTI PNS 1.0 `platform_notification_service_url`). */
  noticeHandlers: 'lti/1p3/pns/notice-handlers',
  /** LTI 1.1 Basic Outcomes (`lis_outcome_service_url`, LTI 1.1.1 §6). */
  outcomes: 'lti/1p1/outcomes',
  /** Where a tool posts its ContentItemSelection (Content-Item 1.0 `content_item_return_url`). */
  contentItemReturn: 'lti/1p1/content-items/return',
  /** Where a tool sends the person back after a launch (`launch_presentation_return_url`, both versions). */
  launchReturn: 'lti/launches/:launchId/return',
  /** A course's authoring page: where a Deep Linking tool sends the author back. */
  courseAuthoring: 'author/courses/:courseId',
} as const;

export type PlatformRoute = keyof typeof PLATFORM_ROUTES;

/** The `:name` parameters of a route pattern. */
export type ParamsOf<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | ParamsOf<Rest>
  : P extends `${string}:${infer Name}`
    ? Name
    : never;

export type RouteParams<R extends PlatformRoute> = Readonly<Record<ParamsOf<(typeof PLATFORM_ROUTES)[R]>, string>>;

/** A route pattern's path with its `:name` parameters filled in, each URI-encoded. */
export function fillRoute<P extends string>(pattern: P, params: Readonly<Record<ParamsOf<P>, string>>): string {
  const values = params as Readonly<Record<string, string>>;
  return `/${pattern.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(values[name]))}`;
}

/** The path of one of our routes: `routePath('launchReturn', { launchId })` is `/lti/launches/<id>/return`. */
export function routePath<R extends PlatformRoute>(route: R, ...[params]: ParamsArgument<R>): string {
  return fillRoute(PLATFORM_ROUTES[route], (params ?? {}) as RouteParams<R>);
}

/** Routes without parameters take none. */
type ParamsArgument<R extends PlatformRoute> = [ParamsOf<(typeof PLATFORM_ROUTES)[R]>] extends [never]
  ? []
  : [params: RouteParams<R>];

/**
 * Our absolute URLs. PUBLIC_URL is the LTI issuer and the base of each (configuration normalizes it
 * once, without a trailing slash); it may carry a path prefix behind a proxy, so paths are appended
 * to it, never resolved against it.
 */
@Injectable()
export class PlatformUrls {
  /** The LTI issuer (`iss`): PUBLIC_URL exactly as configured. */
  readonly issuer: string;

  constructor(settings: LtiSettings) {
    this.issuer = settings.publicUrl;
  }

  url<R extends PlatformRoute>(route: R, ...params: ParamsArgument<R>): string {
    return `${this.issuer}${routePath(route, ...params)}`;
  }

  /** A path we received (query included) as the absolute URL the caller reached: what a tool signed. */
  received(pathAndQuery: string): string {
    return `${this.issuer}${pathAndQuery}`;
  }

  /** What a tool reads to register itself (LTI Dynamic Registration 1.0 §3.4), from our URLs and product. */
  configuration(): PlatformConfiguration {
    return platformConfiguration(
      {
        issuer: this.issuer,
        authorizationEndpoint: this.url('authorize'),
        tokenEndpoint: this.url('token'),
        jwksUri: this.url('jwks'),
        registrationEndpoint: this.url('registration'),
      },
      { productFamilyCode: PRODUCT_FAMILY_CODE, version: PRODUCT_VERSION },
    );
  }

  /** The URLs an administrator hands a 1.3 tool's vendor (LTI Core 1.3 §3.1.2; Deep Linking 2.0 §4.4). */
  platformEndpoints() {
    return {
      issuer: this.issuer,
      authorizationUrl: this.url('authorize'),
      tokenUrl: this.url('token'),
      jwksUrl: this.url('jwks'),
      deepLinkingReturnUrl: this.url('deepLinkingReturn'),
      openidConfigurationUrl: this.url('openidConfiguration'),
    };
  }
}
