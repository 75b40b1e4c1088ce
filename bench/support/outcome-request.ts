import { createHash, createHmac, randomBytes } from 'node:crypto';
import OAuth from 'oauth-1.0a';

const POX_NS = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';

/** A Basic Outcomes replaceResult envelope (LTI 1.1.1 Implementation Guide §6). */
export function replaceResultXml(messageIdentifier: string, sourcedId: string, score: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><imsx_POXEnvelopeRequest xmlns="${POX_NS}"><imsx_POXHeader>` +
    `<imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version><imsx_messageIdentifier>${messageIdentifier}` +
    '</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader><imsx_POXBody><replaceResultRequest>' +
    `<resultRecord><sourcedGUID><sourcedId>${escapeXml(sourcedId)}</sourcedId></sourcedGUID><result><resultScore>` +
    `<language>en</language><textString>${score}</textString></resultScore></result></resultRecord>` +
    '</replaceResultRequest></imsx_POXBody></imsx_POXEnvelopeRequest>'
  );
}

/** `imsx_codeMajor` of a POX response, or null when there is none. */
export function poxCodeMajor(xml: string): string | null {
  return /<imsx_codeMajor>([^<]*)<\/imsx_codeMajor>/.exec(xml)?.[1] ?? null;
}

export function poxDescription(xml: string): string | null {
  return /<imsx_description>([^<]*)<\/imsx_description>/.exec(xml)?.[1] ?? null;
}

/**
 * Signs outcomes requests as a tool does, with oauth-1.0a and independently of the platform's own
 * signer: OAuth Request Body Hash, so only the oauth_* parameters and the URL's query are signed,
 * sent in an `Authorization: OAuth …` header. Every request gets its own nonce and timestamp.
 */
export class OutcomeSigner {
  private readonly oauth: OAuth;

  constructor(consumerKey: string, consumerSecret: string) {
    this.oauth = new OAuth({
      consumer: { key: consumerKey, secret: consumerSecret },
      signature_method: 'HMAC-SHA1',
      hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
      body_hash_function: (body) => createHash('sha1').update(body).digest('base64'),
    });
    // oauth-1.0a draws its nonce from Math.random.
    this.oauth.getNonce = () => randomBytes(16).toString('hex');
  }

  /** The Authorization header for a POST of `body` (XML) to `url`. */
  authorization(url: string, body: string): string {
    const data = this.oauth.authorize({ url, method: 'POST', data: body, includeBodyHash: true });
    return this.oauth.toHeader(data).Authorization;
  }
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
