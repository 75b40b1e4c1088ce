import {
  ContentItemRequestInput,
  contentItemRequestParams,
  ContentItemSelection,
  LTI_LINK_MEDIA_TYPE,
  parseContentItemSelection,
} from './content-item';
import { SelectedLtiLink } from '../selected-links';

const CONTEXT = 'http://purl.imsglobal.org/ctx/lti/v1/ContentItem';

const requestInput: ContentItemRequestInput = {
  returnUrl: 'https://platform.example/lti/1p1/content-item/return',
  data: 'request-7f3a',
  userId: 'user-42',
  roles: ['Instructor', 'urn:lti:role:ims/lis/ContentDeveloper'],
  context: { id: 'ctx-1', label: 'BIO-101', title: 'Biology', type: 'CourseOffering' },
  toolConsumer: {
    instanceGuid: 'platform.example',
    instanceName: 'Example Platform',
    productFamilyCode: 'tms-lti-consumer',
    version: '0.1.0',
  },
  acceptMultiple: false,
  locale: 'fr-FR',
};

const link = (overrides: Record<string, unknown> = {}) => ({
  '@type': 'LtiLinkItem',
  mediaType: LTI_LINK_MEDIA_TYPE,
  ...overrides,
});

/** The form fields a tool posts back, `content_items` built from the graph given. */
function selection(graph: unknown, extra: Record<string, string> = {}): Record<string, string> {
  return {
    lti_message_type: 'ContentItemSelection',
    lti_version: 'LTI-1p0',
    data: 'request-7f3a',
    content_items: JSON.stringify({ '@context': CONTEXT, '@graph': graph }),
    ...extra,
  };
}

function reasonOf(result: ContentItemSelection): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result)}`);
  return result.reason;
}

function itemsOf(result: ContentItemSelection): readonly SelectedLtiLink[] {
  if (!result.ok) throw new Error(`expected a selection, got the refusal "${result.reason}"`);
  return result.items;
}

const single = { acceptMultiple: false };
const multiple = { acceptMultiple: true };

describe('contentItemRequestParams', () => {
  it('should ask for LTI links only with every request field when it builds a selection request', () => {
    expect(contentItemRequestParams(requestInput)).toEqual({
      lti_message_type: 'ContentItemSelectionRequest',
      lti_version: 'LTI-1p0',
      accept_media_types: 'application/vnd.ims.lti.v1.ltilink',
      accept_presentation_document_targets: 'iframe,window',
      accept_multiple: 'false',
      accept_unsigned: 'false',
      auto_create: 'false',
      can_confirm: 'false',
      content_item_return_url: 'https://platform.example/lti/1p1/content-item/return',
      data: 'request-7f3a',
      user_id: 'user-42',
      roles: 'Instructor,urn:lti:role:ims/lis/ContentDeveloper',
      context_id: 'ctx-1',
      context_type: 'CourseOffering',
      context_label: 'BIO-101',
      context_title: 'Biology',
      launch_presentation_locale: 'fr-FR',
      launch_presentation_document_target: 'window',
      tool_consumer_instance_guid: 'platform.example',
      tool_consumer_instance_name: 'Example Platform',
      tool_consumer_info_product_family_code: 'tms-lti-consumer',
      tool_consumer_info_version: '0.1.0',
    });
  });

  it('should say accept_multiple true when several items are accepted', () => {
    expect(contentItemRequestParams({ ...requestInput, acceptMultiple: true }).accept_multiple).toBe('true');
  });

  it('should give only string values when it builds the form', () => {
    const values = Object.values(contentItemRequestParams(requestInput));

    expect(values.every((value) => typeof value === 'string')).toBe(true);
  });
});

describe('parseContentItemSelection', () => {
  describe('a cancelled selection', () => {
    it('should give no items with the tool messages when content_items is absent', () => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', lti_msg: ' Nothing chosen ', lti_errormsg: 'The author left' },
        single,
      );

      expect(result).toEqual({ ok: true, items: [], message: 'Nothing chosen', errorMessage: 'The author left' });
    });

    it('should give no items when content_items is an empty string', () => {
      const result = parseContentItemSelection({ lti_message_type: 'ContentItemSelection', content_items: '' }, single);

      expect(result).toEqual({ ok: true, items: [], message: null, errorMessage: null });
    });

    it('should give no items when the graph is an empty list', () => {
      expect(parseContentItemSelection(selection([], { lti_msg: 'Cancelled' }), single)).toEqual({
        ok: true,
        items: [],
        message: 'Cancelled',
        errorMessage: null,
      });
    });

    it('should give null messages when they are blank', () => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', lti_msg: '   ', lti_errormsg: '' },
        single,
      );

      expect(result).toEqual({ ok: true, items: [], message: null, errorMessage: null });
    });

    it('should cut a message to 1000 characters when the tool sends a longer one', () => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', lti_errormsg: 'x'.repeat(5000) },
        single,
      );

      expect(result.ok && result.errorMessage?.length).toBe(1000);
    });
  });

  describe('an LtiLinkItem', () => {
    it('should read its title, text, url, custom parameters, line item and placement when all are given', () => {
      const result = parseContentItemSelection(
        selection(
          [
            link({
              title: '  Chapter 3 quiz  ',
              text: 'Ten questions on cells',
              url: 'https://tool.example/launch/quiz-3?lang=en',
              custom: { quiz: '3', 'Complex!@#$^*(){}[]KEY': '$User.id' },
              lineItem: { '@type': 'LineItem', scoreConstraints: { normalMaximum: 1 } },
              placementAdvice: { presentationDocumentTarget: 'iframe', displayWidth: 800 },
            }),
          ],
          { lti_msg: 'One quiz added' },
        ),
        single,
      );

      expect(result).toEqual({
        ok: true,
        items: [
          {
            title: 'Chapter 3 quiz',
            text: 'Ten questions on cells',
            url: 'https://tool.example/launch/quiz-3?lang=en',
            customParameters: [
              { name: 'quiz', value: '3' },
              { name: 'Complex!@#$^*(){}[]KEY', value: '$User.id' },
            ],
            takesScore: true,
            lineItem: { label: null, scoreMaximum: 1, resourceId: null, tag: null },
            presentationTarget: 'iframe',
          },
        ],
        message: 'One quiz added',
        errorMessage: null,
      });
    });

    it('should give nulls, no parameters and no score when the item has only its type', () => {
      expect(itemsOf(parseContentItemSelection(selection([link()]), single))).toEqual([
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

    it('should take no score when lineItem is null', () => {
      const [item] = itemsOf(parseContentItemSelection(selection([link({ lineItem: null })]), single));

      expect(item.takesScore).toBe(false);
    });

    it('should read a window target and ignore an unknown one when placement advice is given', () => {
      const items = itemsOf(
        parseContentItemSelection(
          selection([
            link({ placementAdvice: { presentationDocumentTarget: 'window' } }),
            link({ placementAdvice: { presentationDocumentTarget: 'embed' } }),
          ]),
          multiple,
        ),
      );

      expect(items.map((i) => i.presentationTarget)).toEqual(['window', null]);
    });

    it('should cut the title to 200 characters when it is longer', () => {
      const [item] = itemsOf(parseContentItemSelection(selection([link({ title: 't'.repeat(300) })]), single));

      expect(item.title).toBe('t'.repeat(200));
    });

    it('should accept an http url when its host is loopback', () => {
      const [item] = itemsOf(
        parseContentItemSelection(selection([link({ url: 'http://127.0.0.1:8080/launch' })]), single),
      );

      expect(item.url).toBe('http://127.0.0.1:8080/launch');
    });

    it('should strip the custom_ prefix when the tool writes it', () => {
      const [item] = itemsOf(parseContentItemSelection(selection([link({ custom: { custom_level: '2' } })]), single));

      expect(item.customParameters).toEqual([{ name: 'level', value: '2' }]);
    });

    it('should give every item in order when several are accepted', () => {
      const items = itemsOf(
        parseContentItemSelection(selection([link({ title: 'One' }), link({ title: 'Two' })]), multiple),
      );

      expect(items.map((i) => i.title)).toEqual(['One', 'Two']);
    });

    it('should accept 50 items when several are accepted', () => {
      const items = itemsOf(parseContentItemSelection(selection(Array.from({ length: 50 }, () => link())), multiple));

      expect(items).toHaveLength(50);
    });

    it('should accept content_items without @context', () => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', content_items: JSON.stringify({ '@graph': [link()] }) },
        single,
      );

      expect(itemsOf(result)).toHaveLength(1);
    });
  });

  describe('a refused selection', () => {
    it.each([
      ['absent', undefined],
      ['a launch', 'basic-lti-launch-request'],
      ['the request type', 'ContentItemSelectionRequest'],
    ])('should be refused when lti_message_type is %s', (_what, type) => {
      const reason = reasonOf(parseContentItemSelection({ ...selection([link()]), lti_message_type: type }, single));

      expect(reason).toBe('lti_message_type must be ContentItemSelection');
    });

    it('should be refused when content_items is not JSON', () => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', content_items: '{"@graph": [' },
        single,
      );

      expect(reasonOf(result)).toBe('content_items is not JSON');
    });

    it.each([
      ['has no @graph', { '@context': CONTEXT }],
      ['has an object for @graph', { '@context': CONTEXT, '@graph': link() }],
      ['is a JSON string', 'just text'],
    ])('should be refused when content_items %s', (_what, document) => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', content_items: JSON.stringify(document) },
        single,
      );

      expect(reasonOf(result)).toBe('content_items has no @graph list');
    });

    it('should be refused when content_items is JSON null', () => {
      const result = parseContentItemSelection(
        { lti_message_type: 'ContentItemSelection', content_items: 'null' },
        single,
      );

      expect(result.ok).toBe(false);
    });

    it('should be refused when the @context is not the Content-Item one', () => {
      const result = parseContentItemSelection(
        {
          lti_message_type: 'ContentItemSelection',
          content_items: JSON.stringify({ '@context': 'https://schema.org', '@graph': [link()] }),
        },
        single,
      );

      expect(reasonOf(result)).toBe('content_items has an unknown @context');
    });

    it.each([
      ['a FileItem', link({ '@type': 'FileItem' })],
      ['a ContentItem', link({ '@type': 'ContentItem' })],
      ['no @type', { mediaType: LTI_LINK_MEDIA_TYPE }],
      ['an HTML media type', link({ mediaType: 'text/html' })],
      ['no media type', { '@type': 'LtiLinkItem' }],
    ])('should be refused when the item is %s', (_what, item) => {
      const reason = reasonOf(parseContentItemSelection(selection([item]), single));

      expect(reason).toBe(`Item 1: only LtiLinkItem items of media type ${LTI_LINK_MEDIA_TYPE} were asked for`);
    });

    it.each([
      ['null', null],
      ['a string', 'LtiLinkItem'],
    ])('should be refused when the item is %s', (_what, item) => {
      expect(reasonOf(parseContentItemSelection(selection([item]), single))).toBe('Item 1: not an object');
    });

    it('should name the item at fault when a later item is wrong', () => {
      const reason = reasonOf(
        parseContentItemSelection(selection([link(), link({ mediaType: 'image/png' })]), multiple),
      );

      expect(reason).toMatch(/^Item 2: /);
    });

    it('should be refused when two items come back and only one was asked for', () => {
      const reason = reasonOf(parseContentItemSelection(selection([link(), link()]), single));

      expect(reason).toBe('Only one item was asked for');
    });

    it('should be refused when more than 50 items come back', () => {
      const reason = reasonOf(parseContentItemSelection(selection(Array.from({ length: 51 }, () => link())), multiple));

      expect(reason).toBe('At most 50 items');
    });

    it('should be refused when the url is http on a non-loopback host', () => {
      const reason = reasonOf(
        parseContentItemSelection(selection([link({ url: 'http://tool.example/launch' })]), single),
      );

      expect(reason).toBe('Item 1: url must use https (http only for localhost or 127.0.0.1)');
    });

    it('should be refused when the url has a fragment', () => {
      const reason = reasonOf(
        parseContentItemSelection(selection([link({ url: 'https://tool.example/launch#quiz' })]), single),
      );

      expect(reason).toBe('Item 1: url must not contain a fragment (#…)');
    });

    it.each([
      ['relative', '/launch', 'Item 1: url is not a web address (it must start with https://)'],
      [
        'javascript:',
        'javascript:alert(1)',
        'Item 1: url must start with https:// (http:// only on this machine: localhost or 127.0.0.1)',
      ],
    ])('should be refused when the url is %s', (_what, url, expected) => {
      expect(reasonOf(parseContentItemSelection(selection([link({ url })]), single))).toBe(expected);
    });

    it('should be refused when the url is not a string', () => {
      const reason = reasonOf(parseContentItemSelection(selection([link({ url: 42 })]), single));

      expect(reason).toBe('Item 1: url must be a string');
    });

    it.each([
      ['a number', { level: 2 }],
      ['a boolean', { graded: true }],
      ['null', { level: null }],
      ['an object', { level: { value: '2' } }],
    ])('should be refused when a custom value is %s', (_what, custom) => {
      expect(reasonOf(parseContentItemSelection(selection([link({ custom })]), single))).toBe(
        'Item 1: custom values must be strings',
      );
    });

    it.each([
      ['a list', ['level=2']],
      ['a string', 'level=2'],
      ['a number', 2],
    ])('should be refused when custom is %s', (_what, custom) => {
      expect(reasonOf(parseContentItemSelection(selection([link({ custom })]), single))).toBe(
        'Item 1: custom must be an object',
      );
    });

    it('should be refused when a custom name has a space', () => {
      const reason = reasonOf(parseContentItemSelection(selection([link({ custom: { 'my level': '2' } })]), single));

      expect(reason).toMatch(/^Item 1: custom: /);
      expect(reason).toContain('"my level" is not a valid name');
    });

    it('should be refused when two custom names are one name for LTI 1.1', () => {
      const reason = reasonOf(
        parseContentItemSelection(selection([link({ custom: { Level: '1', level: '2' } })]), single),
      );

      expect(reason).toMatch(/^Item 1: custom: .*already set/);
    });

    // "Anything else refuses the whole selection": a value is a string, and a line break or an `=` in
    // a name must not turn one parameter into another or into two.
    it.each([
      ['a value holds a line break', { level: '2\nrole=admin' }],
      ['a name holds an equals sign', { 'level=2': 'x' }],
    ])('should be refused rather than rewritten when %s', (_what, custom) => {
      const result = parseContentItemSelection(selection([link({ custom })]), single);

      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^Item 1: custom/) });
    });
  });
});
