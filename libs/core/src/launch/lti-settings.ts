/** Plain values core needs from configuration for LTI messages; provided by the app. */
export abstract class LtiSettings {
  /** PUBLIC_URL, normalized by configuration (no trailing slash): the LTI issuer and the base of every URL we send to tools. */
  abstract readonly publicUrl: string;
  /** `tool_consumer_instance_name` (1.1), `tool_platform.name` (1.3). */
  abstract readonly instanceName: string;
  /** Accepted distance of an `oauth_timestamp` from our clock, either way; nonces are kept as long. */
  abstract readonly oauthTimestampWindowSeconds: number;
}

/** Ours, sent as `tool_consumer_info_product_family_code` / `tool_platform.product_family_code`. */
export const PRODUCT_FAMILY_CODE = 'tms-lti-consumer';
export const PRODUCT_VERSION = '0.1.0';

/** `tool_consumer_*` (1.1) and the `tool_platform` claim (1.3). */
export function toolConsumerInfo(settings: LtiSettings) {
  return {
    instanceGuid: new URL(settings.publicUrl).host,
    instanceName: settings.instanceName,
    productFamilyCode: PRODUCT_FAMILY_CODE,
    version: PRODUCT_VERSION,
  };
}
