/**
 * Our endpoints as a tool sees them, from the issuer (the public URL). These are the values an
 * administrator hands the tool vendor (LTI Core 1.3 §3.1.2, Security Framework §4.1, Deep Linking
 * 2.0 §4.4) and the ones announced in openid-configuration.
 */
export interface PlatformEndpoints {
  readonly issuer: string;
  readonly authorizationUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly deepLinkingReturnUrl: string;
}

export function platformEndpoints(issuer: string): PlatformEndpoints {
  const base = issuer.replace(/\/+$/, '');
  return {
    issuer: base,
    authorizationUrl: `${base}/lti/1p3/authorize`,
    tokenUrl: `${base}/lti/1p3/token`,
    jwksUrl: `${base}/.well-known/jwks.json`,
    deepLinkingReturnUrl: `${base}/lti/1p3/deep-linking/return`,
  };
}
