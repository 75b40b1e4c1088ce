// Minimal typing of the parts of ims-lti 3.x (untyped CoffeeScript output) that test/support/lti1p1-tool.ts uses.
declare module 'ims-lti' {
  /** What hmac-sha1.js reads off a request to rebuild the signed URL: protocol://host + pathname, plus the query. */
  export interface LtiRequestLike {
    method: string;
    url: string;
    originalUrl?: string;
    protocol?: string;
    headers: { host?: string };
  }

  export type LtiCallback<T> = (err: Error | null, result: T) => void;

  export interface NonceStore {
    isNonceStore(): boolean;
    isNew(nonce: string, timestamp: string, next: (err: Error | null, valid: boolean) => void): void;
  }

  export class OutcomeService {
    readonly service_url: string;
    readonly source_did: string;
    /** Rejects (through the callback) anything but a number in [0, 1] before sending. */
    send_replace_result(score: number | string, callback: LtiCallback<boolean>): void;
    /** The outcome data extension (`resultData/text`, `resultData/url`): only when the launch announced the type. */
    send_replace_result_with_text(score: number | string, text: string, callback: LtiCallback<boolean>): void;
    send_replace_result_with_url(score: number | string, url: string, callback: LtiCallback<boolean>): void;
    /** What the launch's ext_outcome_data_values_accepted announced. */
    readonly result_data_types: string[];
    /** Resolves with parseFloat of readResultResponse's textString; an empty or non-numeric one is an error. */
    send_read_result(callback: LtiCallback<number | false>): void;
    send_delete_result(callback: LtiCallback<boolean>): void;
  }

  export class Provider {
    constructor(consumerKey: string, consumerSecret: string, nonceStore?: NonceStore);
    readonly consumer_key: string;
    /** The launch's non-oauth_ parameters, with `roles` split into an array. Accumulates across valid_request calls. */
    readonly body: Record<string, string | string[]>;
    readonly username: string;
    readonly userId: string | undefined;
    /** Present (not false) only when the launch carried lis_outcome_service_url and lis_result_sourcedid. */
    readonly outcome_service: OutcomeService | false | undefined;
    valid_request(req: LtiRequestLike, body: Record<string, string>, callback: LtiCallback<boolean>): void;
  }

  export const Stores: {
    MemoryStore: new () => NonceStore;
  };

  export const Errors: {
    ParameterError: new (message?: string) => Error;
    SignatureError: new (message?: string) => Error;
    NonceError: new (message?: string) => Error;
    OutcomeResponseError: new (message?: string) => Error;
  };

  export const supported_versions: string[];
}
