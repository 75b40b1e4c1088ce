import { SelectedLtiLink } from '../selected-links';
import { checkDeepLinkingResponse, deepLinkingSettingsClaim, DeepLinkingResponse } from './deep-linking';

/** Claim names as Deep Linking 2.0 §4.4–4.5 and LTI Core 1.3 §5.3 write them. */
const CLAIM = {
  messageType: 'https://purl.imsglobal.org/spec/lti/claim/message_type',
  version: 'https://purl.imsglobal.org/spec/lti/claim/version',
  deploymentId: 'https://purl.imsglobal.org/spec/lti/claim/deployment_id',
  deepLinkingSettings: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
  contentItems: 'https://purl.imsglobal.org/spec/lti-dl/claim/content_items',
  data: 'https://purl.imsglobal.org/spec/lti-dl/claim/data',
  msg: 'https://purl.imsglobal.org/spec/lti-dl/claim/msg',
  errormsg: 'https://purl.imsglobal.org/spec/lti-dl/claim/errormsg',
  log: 'https://purl.imsglobal.org/spec/lti-dl/claim/log',
  errorlog: 'https://purl.imsglobal.org/spec/lti-dl/claim/errorlog',
} as const;

const RETURN_URL = 'https://platform.example/lti/1p3/deep-linking/return';

describe('deepLinkingSettingsClaim', () => {
  it('should offer LTI resource links with JSON booleans, the data and the return URL when it builds the claim', () => {
    const claim = deepLinkingSettingsClaim({ returnUrl: RETURN_URL, data: 'request-7f3a', acceptMultiple: true });
    expect(claim).toEqual({
      [CLAIM.deepLinkingSettings]: {
        deep_link_return_url: RETURN_URL,
        accept_types: ['ltiResourceLink'],
        accept_presentation_document_targets: ['iframe', 'window'],
        accept_multiple: true,
        auto_create: false,
        data: 'request-7f3a',
      },
    });
  });

  it('should send accept_multiple as the JSON boolean false when a single item is asked for', () => {
    const settings = deepLinkingSettingsClaim({ returnUrl: RETURN_URL, data: 'd', acceptMultiple: false })[
      CLAIM.deepLinkingSettings
    ];
    expect(settings.accept_multiple).toBe(false);
    expect(settings.auto_create).toBe(false);
  });

  it('should add the title only when one is given', () => {
    const withTitle = deepLinkingSettingsClaim({
      returnUrl: RETURN_URL,
      data: 'd',
      acceptMultiple: false,
      title: 'Biology',
    })[CLAIM.deepLinkingSettings];
    expect(withTitle).toHaveProperty('title', 'Biology');
    const withoutTitle = deepLinkingSettingsClaim({ returnUrl: RETURN_URL, data: 'd', acceptMultiple: false })[
      CLAIM.deepLinkingSettings
    ];
    expect(withoutTitle).not.toHaveProperty('title');
  });
});

const EXPECTED = { deploymentId: 'deployment-1', data: 'request-7f3a', acceptMultiple: true };
const SINGLE = { ...EXPECTED, acceptMultiple: false };

/** A verified `LtiDeepLinkingResponse` payload (Deep Linking 2.0 §4.5), with the items given. */
function response(items: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    iss: 'client-1',
    aud: 'https://platform.example',
    [CLAIM.messageType]: 'LtiDeepLinkingResponse',
    [CLAIM.version]: '1.3.0',
    [CLAIM.deploymentId]: 'deployment-1',
    [CLAIM.data]: 'request-7f3a',
    ...(items === undefined ? {} : { [CLAIM.contentItems]: items }),
    ...extra,
  };
}

const resourceLink = (overrides: Record<string, unknown> = {}) => ({ type: 'ltiResourceLink', ...overrides });

function reasonOf(result: DeepLinkingResponse): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result.reason;
}

function itemsOf(result: DeepLinkingResponse): readonly SelectedLtiLink[] {
  if (!result.ok) throw new Error(`expected a selection, got the refusal "${result.reason}"`);
  return result.items;
}

const itemReason = (item: unknown) => reasonOf(checkDeepLinkingResponse(response([item]), EXPECTED));

describe('checkDeepLinkingResponse', () => {
  describe('a valid response', () => {
    it('should read every field of the item when the tool returns a full ltiResourceLink', () => {
      const result = checkDeepLinkingResponse(
        response([
          resourceLink({
            title: '  Chapter 3 quiz  ',
            text: '  Ten questions  ',
            url: 'https://tool.example/launch/quiz-3',
            custom: { quiz: '3', user: '$User.id' },
            lineItem: { scoreMaximum: 10, label: 'Chapter 3 quiz' },
            iframe: { width: 800, height: 600 },
          }),
        ]),
        EXPECTED,
      );
      expect(result).toEqual({
        ok: true,
        items: [
          {
            title: 'Chapter 3 quiz',
            text: 'Ten questions',
            url: 'https://tool.example/launch/quiz-3',
            customParameters: [
              { name: 'quiz', value: '3' },
              { name: 'user', value: '$User.id' },
            ],
            takesScore: true,
            lineItem: { label: 'Chapter 3 quiz', scoreMaximum: 10, resourceId: null, tag: null },
            presentationTarget: 'iframe',
          },
        ],
        message: null,
        errorMessage: null,
        log: null,
        errorLog: null,
      });
    });

    it('should default every optional field when the item has only its type', () => {
      expect(itemsOf(checkDeepLinkingResponse(response([resourceLink()]), EXPECTED))).toEqual([
        {
          title: null,
          text: null,
          url: null,
          customParameters: [],
          takesScore: false,
          lineItem: null,
          presentationTarget: null,
        },
      ]);
    });

    it('should read the window presentation when the item asks for a new window', () => {
      const [item] = itemsOf(checkDeepLinkingResponse(response([resourceLink({ window: {} })]), EXPECTED));
      expect(item.presentationTarget).toBe('window');
    });

    it('should not take a score when lineItem is null', () => {
      const [item] = itemsOf(checkDeepLinkingResponse(response([resourceLink({ lineItem: null })]), EXPECTED));
      expect(item.takesScore).toBe(false);
    });

    it('should cut the title to 200 characters when it is longer', () => {
      const [item] = itemsOf(checkDeepLinkingResponse(response([resourceLink({ title: 'x'.repeat(300) })]), EXPECTED));
      expect(item.title).toBe('x'.repeat(200));
    });

    it('should accept an http URL when its host is loopback', () => {
      const [item] = itemsOf(
        checkDeepLinkingResponse(response([resourceLink({ url: 'http://127.0.0.1:3000/launch' })]), EXPECTED),
      );
      expect(item.url).toBe('http://127.0.0.1:3000/launch');
    });

    it('should keep every item in order when several are accepted', () => {
      const items = Array.from({ length: 50 }, (_, i) => resourceLink({ title: `Item ${i + 1}` }));
      const read = itemsOf(checkDeepLinkingResponse(response(items), EXPECTED));
      expect(read).toHaveLength(50);
      expect(read[0].title).toBe('Item 1');
      expect(read[49].title).toBe('Item 50');
    });

    it('should accept exactly one item when a single item was asked for', () => {
      expect(itemsOf(checkDeepLinkingResponse(response([resourceLink()]), SINGLE))).toHaveLength(1);
    });
  });

  describe('a cancelled selection', () => {
    it('should be a cancel with the trimmed messages when content_items is absent', () => {
      const result = checkDeepLinkingResponse(
        response(undefined, {
          [CLAIM.msg]: '  Nothing picked  ',
          [CLAIM.errormsg]: '\tThe quiz bank is offline\n',
          [CLAIM.log]: '  cancelled by user ',
          [CLAIM.errorlog]: ' upstream 503 ',
        }),
        EXPECTED,
      );
      expect(result).toEqual({
        ok: true,
        items: [],
        message: 'Nothing picked',
        errorMessage: 'The quiz bank is offline',
        log: 'cancelled by user',
        errorLog: 'upstream 503',
      });
    });

    it('should be a cancel without messages when content_items is an empty list', () => {
      expect(checkDeepLinkingResponse(response([]), EXPECTED)).toEqual({
        ok: true,
        items: [],
        message: null,
        errorMessage: null,
        log: null,
        errorLog: null,
      });
    });

    it('should drop a message when it is blank or not a string', () => {
      const result = checkDeepLinkingResponse(response([], { [CLAIM.msg]: '   ', [CLAIM.errormsg]: 42 }), EXPECTED);
      expect(result).toMatchObject({ ok: true, message: null, errorMessage: null });
    });

    it('should cut a message to 1000 characters when it is longer', () => {
      const result = checkDeepLinkingResponse(response([], { [CLAIM.msg]: 'm'.repeat(1500) }), EXPECTED);
      expect(result).toMatchObject({ ok: true, message: 'm'.repeat(1000) });
    });
  });

  describe('the message itself', () => {
    it.each<[string, Record<string, unknown>, string]>([
      [
        'the message_type is a resource link request',
        { [CLAIM.messageType]: 'LtiResourceLinkRequest' },
        'message_type must be LtiDeepLinkingResponse',
      ],
      [
        'the message_type is missing',
        { [CLAIM.messageType]: undefined },
        'message_type must be LtiDeepLinkingResponse',
      ],
      ['the version is 1.3', { [CLAIM.version]: '1.3' }, 'version must be 1.3.0'],
      ['the version is missing', { [CLAIM.version]: undefined }, 'version must be 1.3.0'],
      [
        'the deployment_id is another one',
        { [CLAIM.deploymentId]: 'deployment-2' },
        'deployment_id is not the one of this registration',
      ],
      [
        'the deployment_id is missing',
        { [CLAIM.deploymentId]: undefined },
        'deployment_id is not the one of this registration',
      ],
      ['data is another one', { [CLAIM.data]: 'request-0000' }, 'data is not what the request sent'],
      ['data is missing', { [CLAIM.data]: undefined }, 'data is not what the request sent'],
    ])('should refuse with a readable reason when %s', (_, extra, reason) => {
      expect(checkDeepLinkingResponse(response([resourceLink()], extra), EXPECTED)).toEqual({ ok: false, reason });
    });

    it('should skip the data check when the expected data is null', () => {
      const result = checkDeepLinkingResponse(response([resourceLink()], { [CLAIM.data]: 'anything' }), {
        ...EXPECTED,
        data: null,
      });
      expect(itemsOf(result)).toHaveLength(1);
    });

    it('should refuse when content_items is not a list', () => {
      expect(reasonOf(checkDeepLinkingResponse(response(resourceLink()), EXPECTED))).toBe(
        'content_items must be a list',
      );
      expect(reasonOf(checkDeepLinkingResponse(response('[]'), EXPECTED))).toBe('content_items must be a list');
    });

    it('should refuse all of it when there are more than 50 items', () => {
      const items = Array.from({ length: 51 }, () => resourceLink());
      expect(reasonOf(checkDeepLinkingResponse(response(items), EXPECTED))).toBe('At most 50 items');
    });

    it('should refuse when there is more than one item and acceptMultiple is false', () => {
      expect(reasonOf(checkDeepLinkingResponse(response([resourceLink(), resourceLink()]), SINGLE))).toBe(
        'Only one item was asked for',
      );
    });

    it('should refuse all of it and name the item when one item of several is wrong', () => {
      const result = checkDeepLinkingResponse(response([resourceLink(), resourceLink({ type: 'link' })]), EXPECTED);
      expect(reasonOf(result)).toBe('Item 2: type "link" was not offered (only ltiResourceLink)');
    });
  });

  describe('an item', () => {
    it.each<[string, unknown]>([
      ['null', null],
      ['a string', 'ltiResourceLink'],
      ['a number', 7],
      ['an array', [resourceLink()]],
    ])('should refuse when the item is %s', (_, item) => {
      expect(itemReason(item)).toBe('Item 1: not an object');
    });

    it.each<[string, unknown, string]>([
      ['link', 'link', 'Item 1: type "link" was not offered (only ltiResourceLink)'],
      ['file', 'file', 'Item 1: type "file" was not offered (only ltiResourceLink)'],
      ['missing', undefined, 'Item 1: type undefined was not offered (only ltiResourceLink)'],
    ])('should refuse when the type is %s', (_, type, reason) => {
      expect(itemReason({ type, url: 'https://tool.example/x' })).toBe(reason);
    });

    it.each<[string, unknown, string]>([
      [
        'http on a public host',
        'http://tool.example/launch',
        'Item 1: url must use https (http only for localhost or 127.0.0.1)',
      ],
      ['relative', '/launch/quiz-3', 'Item 1: url is not a web address (it must start with https://)'],
      ['with a fragment', 'https://tool.example/launch#quiz', 'Item 1: url must not contain a fragment (#…)'],
      ['a number', 42, 'Item 1: url must be a string'],
      ['null', null, 'Item 1: url must be a string'],
      ['an object', { href: 'https://tool.example/' }, 'Item 1: url must be a string'],
    ])('should refuse when the url is %s', (_, url, reason) => {
      expect(itemReason(resourceLink({ url }))).toBe(reason);
    });

    it.each<[string, unknown]>([
      ['a string', 'quiz=3'],
      ['an array', ['quiz=3']],
      ['a number', 3],
    ])('should refuse when custom is %s', (_, custom) => {
      expect(itemReason(resourceLink({ custom }))).toBe('Item 1: custom must be an object');
    });

    it.each<[string, unknown]>([
      ['a number', 3],
      ['a boolean', true],
      ['null', null],
      ['an object', { n: 3 }],
    ])('should refuse when a custom value is %s', (_, value) => {
      expect(itemReason(resourceLink({ custom: { quiz: value } }))).toBe('Item 1: custom values must be strings');
    });

    it('should refuse when a custom name contains "="', () => {
      expect(itemReason(resourceLink({ custom: { 'a=b': 'c' } }))).toBe(
        'Item 1: custom name "a=b" is not valid (visible characters, no spaces or "=")',
      );
    });

    it.each<[string, string]>([
      ['a line feed', 'one\ntwo'],
      ['a carriage return', 'one\rtwo'],
    ])('should refuse when a custom value contains %s', (_, value) => {
      expect(itemReason(resourceLink({ custom: { quiz: value } }))).toBe(
        'Item 1: custom value of "quiz" has a line break or is too long',
      );
    });

    it('should refuse when a custom name contains a space', () => {
      expect(itemReason(resourceLink({ custom: { 'quiz id': '3' } }))).toBe(
        'Item 1: custom name "quiz id" is not valid (visible characters, no spaces or "=")',
      );
    });

    /*
     * A name is never trimmed: `" quiz"` is refused like `"quiz id"`, not quietly stored as `quiz`.
     */
    it.each<[string, string]>([
      ['a leading space', ' quiz'],
      ['a trailing space', 'quiz '],
    ])('should refuse when a custom name has %s', (_, name) => {
      expect(
        reasonOf(checkDeepLinkingResponse(response([resourceLink({ custom: { [name]: '3' } })]), EXPECTED)),
      ).toMatch(/^Item 1: custom/);
    });

    /*
     * Deep Linking 2.0 §3.4.1: the item's custom parameters "MUST be included in the
     * LtiResourceLinkRequest payload", and LTI 1.3 sends names as they are, so `custom_topic` stays
     * `custom_topic` (the administrators' parser would strip the prefix).
     */
    it('should keep a custom name exactly as the tool wrote it when it starts with custom_', () => {
      const [item] = itemsOf(
        checkDeepLinkingResponse(response([resourceLink({ custom: { custom_topic: 'x' } })]), EXPECTED),
      );
      expect(item.customParameters).toEqual([{ name: 'custom_topic', value: 'x' }]);
    });

    it('should keep an empty custom value when the tool sends one (an empty string is valid)', () => {
      const [item] = itemsOf(checkDeepLinkingResponse(response([resourceLink({ custom: { quiz: '' } })]), EXPECTED));
      expect(item.customParameters).toEqual([{ name: 'quiz', value: '' }]);
    });

    it('should keep a custom value verbatim when it has spaces and "="', () => {
      const [item] = itemsOf(
        checkDeepLinkingResponse(response([resourceLink({ custom: { filter: ' a=b ' } })]), EXPECTED),
      );
      expect(item.customParameters).toEqual([{ name: 'filter', value: ' a=b ' }]);
    });
  });

  it.each<[string, unknown]>([
    ['a scoreMaximum of 0', { scoreMaximum: 0 }],
    ['a negative scoreMaximum', { scoreMaximum: -1 }],
    ['a scoreMaximum that is text', { scoreMaximum: '10' }],
    ['a label that is a number', { label: 7 }],
    ['a lineItem that is a string', 'yes'],
  ])('should refuse the item when its lineItem has %s', (_, lineItem) => {
    const result = checkDeepLinkingResponse(
      {
        'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
        'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
        'https://purl.imsglobal.org/spec/lti/claim/deployment_id': 'd',
        'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': [{ type: 'ltiResourceLink', lineItem }],
      },
      { deploymentId: 'd', data: null, acceptMultiple: true },
    );
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^Item 1: lineItem /) });
  });
});
