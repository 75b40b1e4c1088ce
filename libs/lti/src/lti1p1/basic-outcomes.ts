import { SaxesParser } from 'saxes';
import type { RawOutcomeData } from './outcome-data';

/**
 * LTI 1.1 Basic Outcomes (LTI 1.1.1 Implementation Guide §6): a tool POSTs an IMS POX envelope to
 * our `lis_outcome_service_url` to replace, read or delete the score of one launch
 * (`lis_result_sourcedid`). This module only reads the request XML and writes the response XML;
 * checking the OAuth 1.0a body signature and storing the score belong to the caller.
 */
export const POX_NAMESPACE = 'http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0';
export const POX_MEDIA_TYPE = 'application/xml';

/** The operations of §6; POX lets tools name others (e.g. `readMembership`), which callers answer `unsupported`. */
export const OUTCOME_OPERATIONS = ['replaceResult', 'readResult', 'deleteResult'] as const;
export type OutcomeOperation = (typeof OUTCOME_OPERATIONS)[number];

export function isOutcomeOperation(op: string): op is OutcomeOperation {
  return (OUTCOME_OPERATIONS as readonly string[]).includes(op);
}

export interface OutcomeRequest {
  readonly messageIdentifier: string;
  /** The local name of the body's request element without its `Request` suffix, known or not. */
  readonly operation: string;
  readonly sourcedId: string | null;
  /** `resultScore/textString` verbatim (see {@link parseOutcomeScore}), or null when absent. */
  readonly score: string | null;
  readonly language: string | null;
  /** `result/resultData` (the outcome data extension, see outcome-data.ts), or null when absent. */
  readonly resultData: RawOutcomeData | null;
}

export type PoxErrorCode = 'malformed' | 'doctype_refused' | 'not_pox';

export class PoxError extends Error {
  override readonly name = 'PoxError';

  constructor(
    readonly code: PoxErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Requests are a few hundred bytes; the caps bound memory and work on hostile bodies. */
export const POX_LIMITS = { bytes: 64 * 1024, depth: 32, scoreLength: 32 } as const;

interface PoxElement {
  readonly name: string;
  readonly children: PoxElement[];
  text: string;
}

/** Parses a Basic Outcomes request (§6); throws {@link PoxError} on anything it cannot trust. */
export function parseOutcomeRequest(xml: string): OutcomeRequest {
  // A string's UTF-16 length never exceeds its UTF-8 byte length, so the cheap test goes first.
  if (xml.length > POX_LIMITS.bytes || Buffer.byteLength(xml, 'utf8') > POX_LIMITS.bytes) {
    throw new PoxError('malformed', `The POX request is larger than ${POX_LIMITS.bytes} bytes`);
  }
  const root = buildTree(xml);
  if (root.name !== 'imsx_POXEnvelopeRequest') {
    throw new PoxError('not_pox', `The root element is ${root.name}, not imsx_POXEnvelopeRequest`);
  }
  const messageIdentifier = textAt(root, 'imsx_POXHeader', 'imsx_POXRequestHeaderInfo', 'imsx_messageIdentifier');
  if (!messageIdentifier) {
    throw new PoxError('not_pox', 'The POX header has no imsx_POXRequestHeaderInfo/imsx_messageIdentifier');
  }
  const request = bodyRequest(root);
  const resultScore = find(request, 'resultRecord', 'result', 'resultScore');
  return {
    messageIdentifier,
    operation: request.name.slice(0, -'Request'.length),
    sourcedId: textAt(request, 'resultRecord', 'sourcedGUID', 'sourcedId'),
    // Raw on purpose: parseOutcomeScore decides what whitespace and digits are acceptable.
    score: find(resultScore, 'textString')?.text ?? null,
    language: textAt(resultScore, 'language'),
    resultData: resultDataOf(find(request, 'resultRecord', 'result', 'resultData')),
  };
}

/** The outcome data's texts verbatim (a text's whitespace is the tool's); URLs are checked by the caller. */
function resultDataOf(data: PoxElement | undefined): RawOutcomeData | null {
  if (!data) return null;
  const text = (name: string) => find(data, name)?.text ?? null;
  return { text: text('text'), url: text('url')?.trim() ?? null, ltiLaunchUrl: text('ltiLaunchUrl')?.trim() ?? null };
}

/** POX (and §6's examples) put exactly one `…Request` element in imsx_POXBody; it names the operation. */
function bodyRequest(root: PoxElement): PoxElement {
  const body = find(root, 'imsx_POXBody');
  if (!body) throw new PoxError('not_pox', 'The POX envelope has no imsx_POXBody');
  if (body.children.length !== 1) {
    throw new PoxError(
      'not_pox',
      `imsx_POXBody must hold exactly one request element; it holds ${body.children.length}`,
    );
  }
  const [request] = body.children;
  if (!request.name.endsWith('Request') || request.name === 'Request') {
    throw new PoxError('not_pox', `imsx_POXBody holds ${request.name}, which is not a …Request element`);
  }
  return request;
}

/**
 * Builds a minimal tree (local names, children, direct text) with saxes. Saxes expands only the five
 * predefined entities and character references; we refuse any DOCTYPE before its content can matter
 * (XXE, billion laughs), and an undeclared entity is not well-formed XML (XML 1.0 §4.1, WFC: Entity Declared).
 */
function buildTree(xml: string): PoxElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: PoxElement[] = [];
  let root: PoxElement | undefined;
  parser.on('doctype', () => {
    throw new PoxError('doctype_refused', 'DOCTYPE declarations are refused in POX requests');
  });
  parser.on('opentag', (tag) => {
    if (stack.length >= POX_LIMITS.depth) {
      throw new PoxError('malformed', `The POX request nests elements deeper than ${POX_LIMITS.depth}`);
    }
    const element: PoxElement = { name: tag.local, children: [], text: '' };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on('closetag', () => void stack.pop());
  const appendText = (text: string): void => {
    const current = stack.at(-1);
    if (current) current.text += text;
  };
  parser.on('text', appendText);
  parser.on('cdata', appendText);
  // Processing instructions carry nothing for POX: no handler, so they are ignored.
  runParser(parser, xml);
  if (!root) throw new PoxError('malformed', 'The POX request has no root element');
  return root;
}

function runParser(parser: SaxesParser<{ xmlns: true; position: true }>, xml: string): void {
  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof PoxError) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    throw new PoxError('malformed', `The POX request is not well-formed XML: ${detail}`, { cause: error });
  }
}

function find(from: PoxElement | undefined, ...path: string[]): PoxElement | undefined {
  let element = from;
  for (const name of path) element = element?.children.find((child) => child.name === name);
  return element;
}

/** Trimmed text at a path; absent or blank is null, so callers have a single "not given" case. */
function textAt(from: PoxElement | undefined, ...path: string[]): string | null {
  const text = find(from, ...path)?.text.trim();
  return text ? text : null;
}

export type OutcomeScoreCheck =
  { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string };

// §6 replaceResult: a decimal from 0.0 to 1.0 in the `en` format: digits and a `.`, no sign, no exponent.
const DECIMAL = /^(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))$/;
// XML whitespace (XML 1.0 §2.3 S); String#trim would also strip Unicode spaces such as U+00A0.
const XML_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/**
 * Checks a replaceResult score and normalizes it (`0.50` → `0.5`, `.5` → `0.5`). The range test works
 * on the digits, not on a float, so `1.00000000000000001` (which rounds to 1) is still refused.
 */
export function parseOutcomeScore(text: string | null): OutcomeScoreCheck {
  const trimmed = text?.replace(XML_SPACE, '') ?? '';
  if (trimmed === '') return { ok: false, reason: 'The score is missing; it must be a decimal from 0.0 to 1.0' };
  if (trimmed.length > POX_LIMITS.scoreLength) {
    return {
      ok: false,
      reason: `The score must be at most ${POX_LIMITS.scoreLength} characters; got ${trimmed.length}`,
    };
  }
  const refused: OutcomeScoreCheck = {
    ok: false,
    reason: `The score must be a decimal from 0.0 to 1.0; got ${JSON.stringify(trimmed)}`,
  };
  const match = DECIMAL.exec(trimmed);
  if (!match) return refused;
  const integer = (match[1] ?? '').replace(/^0+/, '') || '0';
  const fraction = (match[2] ?? match[3] ?? '').replace(/0+$/, '');
  if (integer !== '0' && !(integer === '1' && fraction === '')) return refused;
  return { ok: true, value: fraction ? `${integer}.${fraction}` : integer };
}

export type PoxCodeMajor = 'success' | 'failure' | 'unsupported' | 'processing';
export type PoxSeverity = 'status' | 'warning' | 'error';

export interface OutcomeResponseInput {
  /** Our own new identifier for this response message. */
  readonly messageIdentifier: string;
  /** The request's imsx_messageIdentifier, or null when the request could not be read. */
  readonly messageRefIdentifier: string | null;
  readonly operation: string | null;
  readonly codeMajor: PoxCodeMajor;
  readonly severity: PoxSeverity;
  readonly description: string;
  /** For readResult: the stored score, or null/undefined when there is none (§6 readResult: empty textString). */
  readonly score?: string | null;
}

/** Writes the imsx_POXEnvelopeResponse of §6 (the layout of the guide's response examples). */
export function outcomeResponse(input: OutcomeResponseInput): string {
  const refs = [
    input.messageRefIdentifier === null ? null : element('imsx_messageRefIdentifier', input.messageRefIdentifier),
    input.operation === null ? null : element('imsx_operationRefIdentifier', input.operation),
  ];
  const statusInfo = [
    element('imsx_codeMajor', input.codeMajor),
    element('imsx_severity', input.severity),
    element('imsx_description', input.description),
    ...refs.filter((line): line is string => line !== null),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<imsx_POXEnvelopeResponse xmlns="${POX_NAMESPACE}">`,
    '  <imsx_POXHeader>',
    '    <imsx_POXResponseHeaderInfo>',
    `      ${element('imsx_version', 'V1.0')}`,
    `      ${element('imsx_messageIdentifier', input.messageIdentifier)}`,
    '      <imsx_statusInfo>',
    ...statusInfo.map((line) => `        ${line}`),
    '      </imsx_statusInfo>',
    '    </imsx_POXResponseHeaderInfo>',
    '  </imsx_POXHeader>',
    `  ${responseBody(input)}`,
    '</imsx_POXEnvelopeResponse>',
  ].join('\n');
}

/** Only a successful known operation has a body (§6); failures, unsupported operations and `processing` carry none. */
function responseBody(input: OutcomeResponseInput): string {
  const operation = input.operation;
  if (input.codeMajor !== 'success' || operation === null || !isOutcomeOperation(operation)) {
    return '<imsx_POXBody/>';
  }
  if (operation !== 'readResult') return `<imsx_POXBody><${operation}Response/></imsx_POXBody>`;
  const resultScore = `<resultScore>${element('language', 'en')}${element('textString', input.score ?? '')}</resultScore>`;
  return `<imsx_POXBody><readResultResponse><result>${resultScore}</result></readResultResponse></imsx_POXBody>`;
}

function element(name: string, text: string): string {
  return `<${name}>${escapeXml(text)}</${name}>`;
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

/**
 * Escapes markup and replaces what XML 1.0 §2.2 (Char) cannot hold at all (controls, lone
 * surrogates) with U+FFFD, so an odd description can never make the response ill-formed. A CR is
 * written as a reference because readers turn a literal one into LF (XML 1.0 §2.11).
 */
function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/[&<>"'\r]/g, (c) => XML_ESCAPES[c]);
}
