import { SaxesParser } from 'saxes';
import {
  isOutcomeOperation,
  OUTCOME_OPERATIONS,
  outcomeResponse,
  OutcomeResponseInput,
  parseOutcomeRequest,
  parseOutcomeScore,
  POX_LIMITS,
  POX_MEDIA_TYPE,
  POX_NAMESPACE,
  PoxError,
} from './basic-outcomes';

// The request examples of the LTI 1.1.1 Implementation Guide §6, spaces around `=` included.
const HEADER = `<?xml version = "1.0" encoding = "UTF-8"?>
<imsx_POXEnvelopeRequest xmlns = "http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXRequestHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>999999123</imsx_messageIdentifier>
    </imsx_POXRequestHeaderInfo>
  </imsx_POXHeader>`;

const REPLACE_RESULT = `${HEADER}
  <imsx_POXBody>
    <replaceResultRequest>
      <resultRecord>
        <sourcedGUID>
          <sourcedId>3124567</sourcedId>
        </sourcedGUID>
        <result>
          <resultScore>
            <language>en</language>
            <textString>0.92</textString>
          </resultScore>
        </result>
      </resultRecord>
    </replaceResultRequest>
  </imsx_POXBody>
</imsx_POXEnvelopeRequest>`;

function recordRequest(operation: string): string {
  return `${HEADER}
  <imsx_POXBody>
    <${operation}Request>
      <resultRecord>
        <sourcedGUID>
          <sourcedId>3124567</sourcedId>
        </sourcedGUID>
      </resultRecord>
    </${operation}Request>
  </imsx_POXBody>
</imsx_POXEnvelopeRequest>`;
}

/** A request whose body element holds `inner` (the header is the guide's). */
function withBody(inner: string): string {
  return `${HEADER}<imsx_POXBody>${inner}</imsx_POXBody></imsx_POXEnvelopeRequest>`;
}

function poxErrorOf(xml: string): PoxError {
  try {
    parseOutcomeRequest(xml);
  } catch (error) {
    if (error instanceof PoxError) return error;
    throw new Error(`expected a PoxError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the request to be refused');
}

describe('parseOutcomeRequest', () => {
  it('should read every field when the tool sends the guide’s replaceResult example', () => {
    expect(parseOutcomeRequest(REPLACE_RESULT)).toEqual({
      messageIdentifier: '999999123',
      operation: 'replaceResult',
      sourcedId: '3124567',
      score: '0.92',
      language: 'en',
      resultData: null,
    });
  });

  it.each(['readResult', 'deleteResult'])(
    'should read the operation and sourcedId without a score when the tool sends the guide’s %s example',
    (operation) => {
      expect(parseOutcomeRequest(recordRequest(operation))).toEqual({
        messageIdentifier: '999999123',
        operation,
        sourcedId: '3124567',
        score: null,
        language: null,
        resultData: null,
      });
    },
  );

  it('should match elements by local name when the tool uses a namespace prefix', () => {
    const prefixed = REPLACE_RESULT.replace(/<(\/?)([A-Za-z_]+)/g, '<$1ims:$2').replace('xmlns = ', 'xmlns:ims = ');
    expect(prefixed).toContain('<ims:replaceResultRequest>');
    expect(parseOutcomeRequest(prefixed)).toEqual(parseOutcomeRequest(REPLACE_RESULT));
  });

  it('should keep an unknown operation and a null sourcedId when the body names an operation we do not serve', () => {
    const request = parseOutcomeRequest(
      withBody('<readMembershipRequest><sourcedId>x</sourcedId></readMembershipRequest>'),
    );
    expect(request).toEqual({
      messageIdentifier: '999999123',
      operation: 'readMembership',
      sourcedId: null,
      score: null,
      language: null,
      resultData: null,
    });
    expect(isOutcomeOperation(request.operation)).toBe(false);
  });

  it('should keep the score text verbatim when it has whitespace or comes in CDATA', () => {
    const score = (text: string) =>
      parseOutcomeRequest(REPLACE_RESULT.replace('<textString>0.92</textString>', `<textString>${text}</textString>`))
        .score;
    expect(score(' 0.50\n')).toBe(' 0.50\n');
    expect(score('<![CDATA[0.7]]>')).toBe('0.7');
    expect(score('')).toBe('');
  });

  it('should expand predefined entities and character references when they appear in text', () => {
    const xml = REPLACE_RESULT.replace(
      '<sourcedId>3124567</sourcedId>',
      '<sourcedId> a&amp;b&lt;&#x41;&#66; </sourcedId>',
    );
    expect(parseOutcomeRequest(xml).sourcedId).toBe('a&b<AB');
  });

  it('should ignore processing instructions when they appear besides the XML declaration', () => {
    const xml = REPLACE_RESULT.replace(
      '<imsx_POXEnvelopeRequest',
      '<?xml-stylesheet href="x.xsl"?><imsx_POXEnvelopeRequest',
    ).replace('<imsx_POXBody>', '<imsx_POXBody><?tool hint?>');
    expect(parseOutcomeRequest(xml).operation).toBe('replaceResult');
  });

  it.each([
    [
      'the messageIdentifier is missing',
      REPLACE_RESULT.replace(/<imsx_messageIdentifier>.*<\/imsx_messageIdentifier>/, ''),
    ],
    ['the messageIdentifier is blank', REPLACE_RESULT.replace('999999123', ' \n ')],
    ['the header is missing', REPLACE_RESULT.replace(/<imsx_POXHeader>[\s\S]*<\/imsx_POXHeader>/, '')],
  ])('should refuse with not_pox when %s', (_case, xml) => {
    const error = poxErrorOf(xml);
    expect(error.code).toBe('not_pox');
    expect(error.message).toContain('imsx_messageIdentifier');
  });

  it.each([
    [
      'the root is not imsx_POXEnvelopeRequest',
      REPLACE_RESULT.replace(/imsx_POXEnvelopeRequest/g, 'imsx_POXEnvelopeResponse'),
    ],
    ['the body is missing', REPLACE_RESULT.replace(/<imsx_POXBody>[\s\S]*<\/imsx_POXBody>/, '')],
    ['the body is empty', withBody('')],
    ['the body holds two requests', withBody('<readResultRequest/><deleteResultRequest/>')],
    ['the body holds something other than a request', withBody('<replaceResult/>')],
  ])('should refuse with not_pox when %s', (_case, xml) => {
    expect(poxErrorOf(xml).code).toBe('not_pox');
  });

  it('should refuse with doctype_refused when a DOCTYPE declares an internal entity', () => {
    const xml = REPLACE_RESULT.replace(
      '<imsx_POXEnvelopeRequest',
      '<!DOCTYPE imsx_POXEnvelopeRequest [<!ENTITY id "42">]>\n<imsx_POXEnvelopeRequest',
    ).replace('3124567', '&id;');
    expect(poxErrorOf(xml).code).toBe('doctype_refused');
  });

  it('should refuse with doctype_refused when a DOCTYPE declares an external entity', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE imsx_POXEnvelopeRequest [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<imsx_POXEnvelopeRequest><imsx_POXBody><replaceResultRequest><resultRecord><sourcedGUID>
<sourcedId>&xxe;</sourcedId></sourcedGUID></resultRecord></replaceResultRequest></imsx_POXBody></imsx_POXEnvelopeRequest>`;
    const error = poxErrorOf(xml);
    expect(error.code).toBe('doctype_refused');
    expect(error.message).not.toContain('root:');
  });

  it('should refuse with doctype_refused quickly when the DOCTYPE is a billion laughs', () => {
    const entities = ['<!ENTITY lol0 "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [${entities.join('\n')}]>\n<lolz>&lol9;</lolz>`;
    const started = Date.now();
    expect(poxErrorOf(xml).code).toBe('doctype_refused');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('should refuse with doctype_refused when the DOCTYPE only names an external DTD', () => {
    const xml = REPLACE_RESULT.replace(
      '<imsx_POXEnvelopeRequest',
      '<!DOCTYPE x SYSTEM "http://evil.example/x.dtd">\n<imsx_POXEnvelopeRequest',
    );
    expect(poxErrorOf(xml).code).toBe('doctype_refused');
  });

  it('should refuse with malformed when the request uses an undefined entity', () => {
    const error = poxErrorOf(REPLACE_RESULT.replace('3124567', '&xxe;'));
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('undefined entity');
  });

  it.each([
    ['an element is not closed', REPLACE_RESULT.replace('</imsx_POXEnvelopeRequest>', '')],
    ['tags are mismatched', REPLACE_RESULT.replace('</sourcedId>', '</sourcedID>')],
    ['text follows the root', `${REPLACE_RESULT}junk`],
    ['two roots are given', `${REPLACE_RESULT}<imsx_POXEnvelopeRequest/>`],
    ['the body is empty', ''],
    ['the body is not XML', '{"score": 0.5}'],
    ['a prefix is unbound', withBody('<x:replaceResultRequest/>')],
    ['a character reference is not an XML character', REPLACE_RESULT.replace('3124567', '&#0;')],
  ])('should refuse with malformed when %s', (_case, xml) => {
    expect(poxErrorOf(xml).code).toBe('malformed');
  });

  it('should refuse with malformed when the input is larger than 64 KiB', () => {
    const padding = ' '.repeat(POX_LIMITS.bytes - REPLACE_RESULT.length + 1);
    const error = poxErrorOf(REPLACE_RESULT + padding);
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('larger than 65536 bytes');
  });

  it('should count UTF-8 bytes when multibyte characters exceed 64 KiB in fewer characters', () => {
    const padding = `<!--${'é'.repeat(POX_LIMITS.bytes / 2)}-->`;
    expect(padding.length).toBeLessThan(POX_LIMITS.bytes);
    expect(poxErrorOf(REPLACE_RESULT + padding).code).toBe('malformed');
  });

  it('should accept the request when it is just under 64 KiB', () => {
    const padding = ' '.repeat(POX_LIMITS.bytes - Buffer.byteLength(REPLACE_RESULT));
    expect(parseOutcomeRequest(REPLACE_RESULT + padding).operation).toBe('replaceResult');
  });

  it('should refuse with malformed when elements nest deeper than 32 (a depth bomb)', () => {
    const bomb = `${'<a>'.repeat(9_000)}${'</a>'.repeat(9_000)}`;
    expect(Buffer.byteLength(bomb)).toBeLessThan(POX_LIMITS.bytes);
    const error = poxErrorOf(bomb);
    expect(error.code).toBe('malformed');
    expect(error.message).toContain('deeper than 32');
  });

  // envelope > body > request > resultRecord is depth 4, so n extra levels reach depth 4 + n.
  const nested = (n: number) =>
    withBody(
      `<replaceResultRequest><resultRecord>${'<x>'.repeat(n)}${'</x>'.repeat(n)}</resultRecord></replaceResultRequest>`,
    );

  it('should accept the request when it nests exactly 32 deep', () => {
    expect(parseOutcomeRequest(nested(28)).operation).toBe('replaceResult');
  });

  it('should refuse with malformed when it nests 33 deep', () => {
    expect(poxErrorOf(nested(29)).code).toBe('malformed');
  });
});

describe('isOutcomeOperation', () => {
  it.each([...OUTCOME_OPERATIONS])('should accept %s when it is a Basic Outcomes operation', (op) => {
    expect(isOutcomeOperation(op)).toBe(true);
  });

  it.each(['readMembership', 'replaceresult', 'replaceResultRequest', ''])(
    'should refuse %j when it is not a Basic Outcomes operation',
    (op) => {
      expect(isOutcomeOperation(op)).toBe(false);
    },
  );
});

describe('parseOutcomeScore', () => {
  it.each([
    [' 0.50 ', '0.5'],
    ['1', '1'],
    ['0.0', '0'],
    ['.5', '0.5'],
    ['0', '0'],
    ['1.0', '1'],
    ['1.000', '1'],
    ['0.92', '0.92'],
    ['\n\t0.25\r\n', '0.25'],
    ['00.5', '0.5'],
    ['0.', '0'],
    ['0.000000000000000000000000000001', '0.000000000000000000000000000001'],
  ])('should accept %j as %j when it is a decimal from 0.0 to 1.0', (text, value) => {
    expect(parseOutcomeScore(text)).toEqual({ ok: true, value });
  });

  it.each([
    'abc',
    '1.2',
    '-0.1',
    '-0',
    '0,5',
    '1e-1',
    'NaN',
    'Infinity',
    '+0.5',
    '1.0000001',
    '1.00000000000000001',
    '2',
    '10',
    '0x1',
    '.',
    '0.5.5',
    '0 5',
    '\u00a00.5',
    '٠.٥',
  ])('should refuse %j when it is not a decimal from 0.0 to 1.0', (text) => {
    const result = parseOutcomeScore(text);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain('must be a decimal from 0.0 to 1.0; got');
  });

  it('should say what it got when the score is out of range', () => {
    expect(parseOutcomeScore('1.2')).toEqual({
      ok: false,
      reason: 'The score must be a decimal from 0.0 to 1.0; got "1.2"',
    });
  });

  it.each([null, '', ' \n\t '])('should refuse %j when the score is missing', (text) => {
    expect(parseOutcomeScore(text)).toEqual({
      ok: false,
      reason: 'The score is missing; it must be a decimal from 0.0 to 1.0',
    });
  });

  it('should refuse the score when it is longer than 32 characters', () => {
    expect(parseOutcomeScore(`0.${'5'.repeat(31)}`)).toEqual({
      ok: false,
      reason: 'The score must be at most 32 characters; got 33',
    });
  });

  it('should accept the score when it is exactly 32 characters', () => {
    expect(parseOutcomeScore(`0.${'5'.repeat(30)}`)).toEqual({ ok: true, value: `0.${'5'.repeat(30)}` });
  });
});

/** Parses a response with saxes: each element's path (local names) → its text, plus the root namespace. */
function readXml(xml: string): { readonly texts: Map<string, string>; readonly rootNamespace: string } {
  const parser = new SaxesParser({ xmlns: true });
  const texts = new Map<string, string>();
  const path: string[] = [];
  let rootNamespace = '';
  parser.on('opentag', (tag) => {
    if (path.length === 0) rootNamespace = tag.uri;
    path.push(tag.local);
    texts.set(path.join('/'), '');
  });
  parser.on('text', (text) => {
    const key = path.join('/');
    if (texts.has(key)) texts.set(key, texts.get(key) + text);
  });
  parser.on('closetag', () => void path.pop());
  parser.write(xml).close();
  return { texts, rootNamespace };
}

const STATUS = 'imsx_POXEnvelopeResponse/imsx_POXHeader/imsx_POXResponseHeaderInfo/imsx_statusInfo';
const BODY = 'imsx_POXEnvelopeResponse/imsx_POXBody';

const SUCCESS: OutcomeResponseInput = {
  messageIdentifier: '4560',
  messageRefIdentifier: '999999123',
  operation: 'replaceResult',
  codeMajor: 'success',
  severity: 'status',
  description: 'Score for 3124567 is now 0.92',
};

describe('outcomeResponse', () => {
  it('should write the guide’s response layout when a replaceResult succeeds', () => {
    expect(outcomeResponse(SUCCESS)).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeResponse xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader>
    <imsx_POXResponseHeaderInfo>
      <imsx_version>V1.0</imsx_version>
      <imsx_messageIdentifier>4560</imsx_messageIdentifier>
      <imsx_statusInfo>
        <imsx_codeMajor>success</imsx_codeMajor>
        <imsx_severity>status</imsx_severity>
        <imsx_description>Score for 3124567 is now 0.92</imsx_description>
        <imsx_messageRefIdentifier>999999123</imsx_messageRefIdentifier>
        <imsx_operationRefIdentifier>replaceResult</imsx_operationRefIdentifier>
      </imsx_statusInfo>
    </imsx_POXResponseHeaderInfo>
  </imsx_POXHeader>
  <imsx_POXBody><replaceResultResponse/></imsx_POXBody>
</imsx_POXEnvelopeResponse>`);
  });

  it('should be well-formed POX in the LTI namespace when parsed back', () => {
    const { texts, rootNamespace } = readXml(outcomeResponse(SUCCESS));
    expect(rootNamespace).toBe(POX_NAMESPACE);
    expect(texts.get(`${STATUS}/imsx_codeMajor`)).toBe('success');
    expect(texts.get(`${STATUS}/imsx_messageRefIdentifier`)).toBe('999999123');
    expect(texts.has(`${BODY}/replaceResultResponse`)).toBe(true);
  });

  it('should write an empty deleteResultResponse when a deleteResult succeeds', () => {
    expect(outcomeResponse({ ...SUCCESS, operation: 'deleteResult' })).toContain(
      '<imsx_POXBody><deleteResultResponse/></imsx_POXBody>',
    );
  });

  it('should write the score in a readResultResponse when a readResult succeeds', () => {
    const xml = outcomeResponse({ ...SUCCESS, operation: 'readResult', score: '0.92' });
    expect(xml).toContain(
      '<imsx_POXBody><readResultResponse><result><resultScore><language>en</language><textString>0.92</textString></resultScore></result></readResultResponse></imsx_POXBody>',
    );
    const { texts } = readXml(xml);
    expect(texts.get(`${BODY}/readResultResponse/result/resultScore/textString`)).toBe('0.92');
    expect(texts.get(`${STATUS}/imsx_operationRefIdentifier`)).toBe('readResult');
  });

  it.each([null, undefined])('should write an empty textString when readResult has score %p', (score) => {
    expect(outcomeResponse({ ...SUCCESS, operation: 'readResult', score })).toContain(
      '<resultScore><language>en</language><textString></textString></resultScore>',
    );
  });

  it.each(['failure', 'unsupported', 'processing'] as const)(
    'should write an empty body when codeMajor is %s',
    (codeMajor) => {
      const xml = outcomeResponse({ ...SUCCESS, operation: 'readResult', codeMajor, severity: 'error', score: '0.5' });
      expect(xml).toContain('  <imsx_POXBody/>\n');
      expect(xml).not.toContain('readResultResponse');
      expect(xml).toContain(`<imsx_codeMajor>${codeMajor}</imsx_codeMajor>`);
    },
  );

  it('should write an empty body but keep the operation reference when the operation is unknown', () => {
    const xml = outcomeResponse({ ...SUCCESS, operation: 'readMembership', codeMajor: 'unsupported' });
    expect(xml).toContain('<imsx_operationRefIdentifier>readMembership</imsx_operationRefIdentifier>');
    expect(xml).toContain('<imsx_POXBody/>');
    expect(xml).not.toContain('readMembershipResponse');
  });

  it('should write an empty body when a success names an unknown operation', () => {
    expect(outcomeResponse({ ...SUCCESS, operation: 'readMembership' })).toContain('<imsx_POXBody/>');
  });

  it('should omit both references when the request could not be read', () => {
    const xml = outcomeResponse({
      ...SUCCESS,
      messageRefIdentifier: null,
      operation: null,
      codeMajor: 'failure',
      severity: 'error',
    });
    expect(xml).not.toContain('imsx_messageRefIdentifier');
    expect(xml).not.toContain('imsx_operationRefIdentifier');
    expect(xml).toContain('<imsx_POXBody/>');
    expect(readXml(xml).texts.get(`${STATUS}/imsx_severity`)).toBe('error');
  });

  it('should escape markup when texts contain &<>"\'', () => {
    const description = `<b>"Tom" & 'Jerry'</b>`;
    const xml = outcomeResponse({
      ...SUCCESS,
      description,
      messageRefIdentifier: 'a&b<c>',
      operation: 'readResult',
      score: '<0>',
    });
    expect(xml).toContain(
      '<imsx_description>&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;</imsx_description>',
    );
    expect(xml).toContain('<imsx_messageRefIdentifier>a&amp;b&lt;c&gt;</imsx_messageRefIdentifier>');
    const { texts } = readXml(xml);
    expect(texts.get(`${STATUS}/imsx_description`)).toBe(description);
    expect(texts.get(`${STATUS}/imsx_messageRefIdentifier`)).toBe('a&b<c>');
    expect(texts.get(`${BODY}/readResultResponse/result/resultScore/textString`)).toBe('<0>');
  });

  it('should replace characters XML cannot hold when the description contains them', () => {
    const xml = outcomeResponse({ ...SUCCESS, description: 'bad\u0000byte \ud800 ok 😀' });
    expect(readXml(xml).texts.get(`${STATUS}/imsx_description`)).toBe('bad\ufffdbyte \ufffd ok 😀');
  });

  it('should keep a carriage return when the description contains one', () => {
    const xml = outcomeResponse({ ...SUCCESS, description: 'line 1\r\nline 2' });
    expect(xml).toContain('line 1&#13;\nline 2');
    expect(readXml(xml).texts.get(`${STATUS}/imsx_description`)).toBe('line 1\r\nline 2');
  });

  it('should read back the identifiers when a parsed request is answered', () => {
    const request = parseOutcomeRequest(REPLACE_RESULT);
    const { texts } = readXml(
      outcomeResponse({ ...SUCCESS, messageRefIdentifier: request.messageIdentifier, operation: request.operation }),
    );
    expect(texts.get(`${STATUS}/imsx_messageRefIdentifier`)).toBe('999999123');
    expect(texts.get(`${STATUS}/imsx_operationRefIdentifier`)).toBe('replaceResult');
  });

  it('should name application/xml when the response media type is read', () => {
    expect(POX_MEDIA_TYPE).toBe('application/xml');
  });
});
