/**
 * Port: every HTTP request the platform makes to a URL someone else gave it (a tool's key set
 * today; registration and notices later). The adapter guards the network: https only, the address
 * actually connected to outside private and local ranges unless the deployment allows them, no
 * redirects, and the caller's time and size limits.
 */
export abstract class OutboundHttp {
  /** The answer, whatever its status, except a redirect; otherwise an OutboundError. */
  abstract fetch(request: OutboundRequest): Promise<OutboundResponse>;
}

export interface OutboundRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as the body, `application/json` (POST only; not with `form`). */
  readonly json?: unknown;
  /** Sent as the body, `application/x-www-form-urlencoded` (POST only; not with `json`): an LTI 1.1 launch. */
  readonly form?: Readonly<Record<string, string>>;
  /** Bytes of the answer's body past which the fetch is aborted. */
  readonly maxBytes: number;
  /** Milliseconds for the whole exchange: connecting, the headers and the body. */
  readonly timeoutMs: number;
}

export interface OutboundResponse {
  readonly status: number;
  /** A response header (lower-case name); several values joined with `, `. */
  header(name: string): string | undefined;
  readonly body: Buffer;
}

/**
 * Why a fetch failed. Anything that happened on the way (a closed port, a timeout, a TLS or DNS
 * failure, an answer that is not HTTP) is `unreachable`, with one message, so that an error never
 * tells what listens where.
 */
export type OutboundFailure = 'not-allowed' | 'not-https' | 'unreachable' | 'redirect' | 'too-large';

const MESSAGES: Record<OutboundFailure, string> = {
  'not-allowed': 'is not an allowed address (private or local networks are refused)',
  'not-https': 'must use https',
  unreachable: 'could not be fetched',
  redirect: 'answered with a redirect, which is not followed (give the final URL)',
  'too-large': 'answered with more than the size allowed',
};

/** The message follows the name of what was fetched: "jwksUrl could not be fetched". */
export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    message = MESSAGES[failure],
  ) {
    super(message);
    this.name = 'OutboundError';
  }

  static tooLarge(maxBytes: number): OutboundError {
    return new OutboundError('too-large', `answered with more than ${formatBytes(maxBytes)}`);
  }
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
