import { join } from 'node:path';

/** The browser script's API (apps/tms/public/lti-postmessage.js), as the launch page and storage frame use it. */
interface Store {
  get(origin: string, key: string): string | null;
}
interface Context {
  toolOrigins: string[];
  storageFrame: string | null;
}
interface Answer {
  response: Record<string, any>;
  action?: { type: string; height?: number; width?: number };
}
interface LtiPostMessageApi {
  LIMITS: Record<string, number>;
  createStore(): Store;
  answerStorage(store: Store, context: Context, data: unknown, origin: string): Record<string, any> | null;
  answerPage(context: Context, data: unknown, origin: string): Answer | null;
}

// A plain browser script, not a module of ours: loaded the way it exports itself outside a browser.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const api = require(join(__dirname, '..', '..', '..', 'public', 'lti-postmessage.js')) as LtiPostMessageApi;

const TOOL = 'http://localhost:4100';
const TOOL_LAUNCH = 'http://localhost:4200';
const OTHER_TOOL = 'http://localhost:4300';
const context: Context = { toolOrigins: [TOOL, TOOL_LAUNCH], storageFrame: 'lti-storage' };

const put = (key: unknown, value: unknown, id: unknown = 'put-1') => ({
  subject: 'lti.put_data',
  message_id: id,
  key,
  value,
});
const get = (key: unknown, id: unknown = 'get-1') => ({ subject: 'lti.get_data', message_id: id, key });

describe('the storage frame’s answers (LTI Platform Storage)', () => {
  it('should store the value for the sending origin and echo key, value and message_id when a tool puts data', () => {
    const store = api.createStore();
    expect(api.answerStorage(store, context, put('state_abc', 'abc'), TOOL)).toEqual({
      subject: 'lti.put_data.response',
      message_id: 'put-1',
      key: 'state_abc',
      value: 'abc',
    });
    expect(api.answerStorage(store, context, get('state_abc'), TOOL)).toEqual({
      subject: 'lti.get_data.response',
      message_id: 'get-1',
      key: 'state_abc',
      value: 'abc',
    });
  });

  it('should answer null for a key nobody put when a tool gets data', () => {
    expect(api.answerStorage(api.createStore(), context, get('missing'), TOOL)).toEqual({
      subject: 'lti.get_data.response',
      message_id: 'get-1',
      key: 'missing',
      value: null,
    });
  });

  it('should answer wrong_origin and store nothing when the message comes from an origin not registered for the launch', () => {
    const store = api.createStore();
    expect(api.answerStorage(store, context, put('state_abc', 'forged'), OTHER_TOOL)).toEqual({
      subject: 'lti.put_data.response',
      message_id: 'put-1',
      error: { code: 'wrong_origin', message: expect.stringContaining(OTHER_TOOL) },
    });
    expect(store.get(OTHER_TOOL, 'state_abc')).toBeNull();
    expect(store.get(TOOL, 'state_abc')).toBeNull();
  });

  it('should not give one origin what another put when both are registered', () => {
    const store = api.createStore();
    api.answerStorage(store, context, put('state_abc', 'abc'), TOOL);
    expect(api.answerStorage(store, context, get('state_abc'), TOOL_LAUNCH)?.value).toBeNull();
    expect(api.answerStorage(store, context, get('state_abc'), OTHER_TOOL)).toMatchObject({
      error: { code: 'wrong_origin' },
    });
  });

  it('should answer storage_exhaustion and keep the old value when a value is longer than the limit', () => {
    const store = api.createStore();
    api.answerStorage(store, context, put('k', 'small'), TOOL);
    const answer = api.answerStorage(store, context, put('k', 'x'.repeat(api.LIMITS.valueLength + 1)), TOOL);
    expect(answer).toMatchObject({ subject: 'lti.put_data.response', message_id: 'put-1' });
    expect(answer?.error.code).toBe('storage_exhaustion');
    expect(store.get(TOOL, 'k')).toBe('small');
  });

  it('should answer storage_exhaustion when the origin’s share is full, and take values again once keys are removed', () => {
    const store = api.createStore();
    const value = 'v'.repeat(4000);
    for (let i = 0; i < 4; i++)
      expect(api.answerStorage(store, context, put(`k${i}`, value), TOOL)?.error).toBeUndefined();
    expect(api.answerStorage(store, context, put('k4', value), TOOL)?.error.code).toBe('storage_exhaustion');
    expect(store.get(TOOL, 'k4')).toBeNull();
    // Other origins have their own share.
    expect(api.answerStorage(store, context, put('k4', value), TOOL_LAUNCH)?.error).toBeUndefined();
    expect(api.answerStorage(store, context, put('k0', null), TOOL)).toMatchObject({ key: 'k0', value: null });
    expect(api.answerStorage(store, context, put('k4', value), TOOL)?.error).toBeUndefined();
  });

  it('should answer storage_exhaustion beyond the number of keys an origin may keep', () => {
    const store = api.createStore();
    for (let i = 0; i < api.LIMITS.keysPerOrigin; i++) api.answerStorage(store, context, put(`k${i}`, '1'), TOOL);
    expect(api.answerStorage(store, context, put('one-more', '1'), TOOL)?.error.code).toBe('storage_exhaustion');
    // Replacing a kept key is no new key.
    expect(api.answerStorage(store, context, put('k0', '2'), TOOL)?.error).toBeUndefined();
  });

  it.each([
    ['no message_id', { subject: 'lti.put_data', key: 'k', value: 'v' }],
    ['an empty key', put('', 'v')],
    ['a key that is not a string', put(42, 'v')],
    ['a key longer than the limit', put('k'.repeat(257), 'v')],
    ['a value that is not a string', put('k', { nested: true })],
    ['a numeric message_id', put('k', 'v', 7)],
  ])('should answer bad_request and store nothing when a put has %s', (_case, message) => {
    const store = api.createStore();
    const answer = api.answerStorage(store, context, message, TOOL);
    expect(answer).toMatchObject({ subject: 'lti.put_data.response', error: { code: 'bad_request' } });
    expect(store.get(TOOL, 'k')).toBeNull();
  });

  it('should answer bad_request when a get has no key', () => {
    expect(api.answerStorage(api.createStore(), context, { subject: 'lti.get_data', message_id: 'g' }, TOOL)).toEqual({
      subject: 'lti.get_data.response',
      message_id: 'g',
      error: { code: 'bad_request', message: 'key must be a non-empty string' },
    });
  });

  it('should answer unsupported_subject with the message_id when the subject is unknown', () => {
    expect(api.answerStorage(api.createStore(), context, { subject: 'lti.showModal', message_id: 'm' }, TOOL)).toEqual({
      subject: 'lti.showModal.response',
      message_id: 'm',
      error: { code: 'unsupported_subject', message: expect.any(String) },
    });
  });

  it.each([
    ['a string', 'lti.put_data'],
    ['null', null],
    ['an array', [{ subject: 'lti.put_data' }]],
    ['an object without a subject', { message_id: 'x', key: 'k', value: 'v' }],
    ['a response', { subject: 'lti.put_data.response', message_id: 'x' }],
  ])('should not answer %s, which no response can address', (_case, data) => {
    expect(api.answerStorage(api.createStore(), context, data, TOOL)).toBeNull();
  });

  it('should not answer an opaque origin, which no response can be addressed to', () => {
    expect(api.answerStorage(api.createStore(), context, get('k'), 'null')).toBeNull();
  });

  it('should list the storage subjects with the frame that answers them when asked for capabilities', () => {
    expect(
      api.answerStorage(api.createStore(), context, { subject: 'lti.capabilities', message_id: 'c' }, TOOL),
    ).toEqual({
      subject: 'lti.capabilities.response',
      message_id: 'c',
      supported_messages: [
        { subject: 'lti.capabilities' },
        { subject: 'lti.put_data', frame: 'lti-storage' },
        { subject: 'lti.get_data', frame: 'lti-storage' },
        { subject: 'lti.frameResize' },
        { subject: 'lti.scrollToTop' },
      ],
    });
  });
});

describe('the launch page’s answers (LTI Client Side postMessages)', () => {
  it('should resize the frame within bounds and echo what it applied when the tool asks', () => {
    expect(api.answerPage(context, { subject: 'lti.frameResize', message_id: 'r', height: 640 }, TOOL)).toEqual({
      response: { subject: 'lti.frameResize.response', message_id: 'r', height: 640 },
      action: { type: 'resize', height: 640, width: undefined },
    });
    expect(
      api.answerPage(context, { subject: 'lti.frameResize', height: 99_999, width: '20px' }, TOOL)?.action,
    ).toEqual({ type: 'resize', height: api.LIMITS.frameMax, width: api.LIMITS.frameMin });
  });

  it.each([
    ['a negative height', { height: -5 }],
    ['a height that is no number', { height: 'tall' }],
    ['a percentage', { height: '100%' }],
    ['no size at all', {}],
  ])('should answer bad_request and resize nothing when a resize has %s', (_case, sizes) => {
    const answer = api.answerPage(context, { subject: 'lti.frameResize', message_id: 'r', ...sizes }, TOOL);
    expect(answer?.response.error.code).toBe('bad_request');
    expect(answer?.action).toBeUndefined();
  });

  it('should scroll to the frame when the tool asks for the top', () => {
    expect(api.answerPage(context, { subject: 'lti.scrollToTop', message_id: 's' }, TOOL)).toEqual({
      response: { subject: 'lti.scrollToTop.response', message_id: 's' },
      action: { type: 'scrollToTop' },
    });
  });

  it('should answer wrong_origin and do nothing when another origin asks for a resize', () => {
    const answer = api.answerPage(context, { subject: 'lti.frameResize', height: 900 }, OTHER_TOOL);
    expect(answer?.response.error.code).toBe('wrong_origin');
    expect(answer?.action).toBeUndefined();
  });

  it('should answer unsupported_subject when asked to show a modal', () => {
    const answer = api.answerPage(context, { subject: 'lti.showModal', message_id: 'm', url: TOOL }, TOOL);
    expect(answer).toEqual({
      response: {
        subject: 'lti.showModal.response',
        message_id: 'm',
        error: { code: 'unsupported_subject', message: 'lti.showModal is not supported' },
      },
    });
  });

  it('should point storage requests to the storage frame when they are sent to the page', () => {
    expect(api.answerPage(context, get('k'), TOOL)?.response).toEqual({
      subject: 'lti.get_data.response',
      message_id: 'get-1',
      error: { code: 'unsupported_subject', message: 'lti.get_data goes to the frame named lti-storage' },
    });
  });

  it('should list no storage subjects when the launch has no storage frame', () => {
    const answer = api.answerPage({ ...context, storageFrame: null }, { subject: 'lti.capabilities' }, TOOL);
    expect(answer?.response.supported_messages.map((m: { subject: string }) => m.subject)).toEqual([
      'lti.capabilities',
      'lti.frameResize',
      'lti.scrollToTop',
    ]);
  });
});
