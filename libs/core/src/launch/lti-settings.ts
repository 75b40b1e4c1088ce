/** Plain values core needs from configuration for LTI messages; provided by the app. */
export abstract class LtiSettings {
  /** PUBLIC_URL: the LTI issuer and the base of every URL we send to tools. */
  abstract readonly publicUrl: string;
  /** `tool_consumer_instance_name` (1.1), `tool_platform.name` (1.3). */
  abstract readonly instanceName: string;
  /** Accepted distance of an `oauth_timestamp` from our clock, either way; nonces are kept as long. */
  abstract readonly oauthTimestampWindowSeconds: number;
}

/** Ours, sent as `tool_consumer_info_product_family_code` / `tool_platform.product_family_code`. */
export const PRODUCT_FAMILY_CODE = 'tms-lti-consumer';
export const PRODUCT_VERSION = '0.1.0';
