import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { ApiClient, createPerson } from './support/api-client';
import { FormSession } from './support/form-session';
import { signLti1p1Form } from './support/lti1p1-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';

const KEY = 'picker-key';
const SECRET = 'picker-secret-1';
const SELECT_URL = 'http://127.0.0.1:9/select';

/** The hidden inputs and action of the auto-posting form on one of our pages. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const decode = (text: string) =>
    text
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const [form, action] = /<form class="lti-launch" method="post" action="([^"]*)"[\s\S]*?<\/form>/.exec(html)!;
  const fields: Record<string, string> = {};
  for (const match of form.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[decode(match[1])] = decode(match[2]);
  }
  return { action: decode(action), fields };
}

/** Checks our request's signature the way a tool would, with oauth-1.0a rather than our own code. */
function signatureOf(url: string, fields: Record<string, string>, secret: string): string {
  const oauth = new OAuth({
    consumer: { key: KEY, secret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const { oauth_signature: _signature, ...signed } = fields;
  return oauth.getSignature({ url, method: 'POST', data: signed }, undefined, {} as OAuth.Data);
}

const linkItem = (title: string, extra: Record<string, unknown> = {}) => ({
  '@type': 'LtiLinkItem',
  mediaType: 'application/vnd.ims.lti.v1.ltilink',
  title,
  url: `http://127.0.0.1:9/items/${encodeURIComponent(title)}`,
  ...extra,
});

describe('Content-Item selection (LTI 1.1 deep linking)', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let author: FormSession;
  let courseId: string;
  let providerId: string;
  let otherProviderId: string;

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await testApp.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

  /** Starts a selection as the author and answers it as the tool would, signed with `secret`. */
  async function select(
    items: unknown[] | null,
    options: { secret?: string; data?: string; key?: string; multiple?: boolean } = {},
  ) {
    const page = await author.get(
      `/author/courses/${courseId}/content-items/${providerId}${options.multiple === false ? '?multiple=false' : ''}`,
    );
    expect(page.status).toBe(200);
    const request = formOf(await page.text());
    const answer: Record<string, string> = {
      lti_message_type: 'ContentItemSelection',
      lti_version: 'LTI-1p0',
      data: options.data ?? request.fields.data,
      lti_msg: 'Picked for you',
      ...(items
        ? {
            content_items: JSON.stringify({
              '@context': 'http://purl.imsglobal.org/ctx/lti/v1/ContentItem',
              '@graph': items,
            }),
          }
        : {}),
    };
    const returnUrl = request.fields.content_item_return_url;
    const signed = signLti1p1Form(returnUrl, answer, options.key ?? KEY, options.secret ?? SECRET);
    // Cross-site, in the author's browser: no cookie comes with it.
    const response = await fetch(returnUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(signed).toString(),
    });
    return { request, signed, response, returnUrl };
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Academy' })).body.id;
    await createPerson(root, { email: 'author@example.com', organizationId: org, role: 'course_author' });
    const provider = (contentItemUrl: string | null, name: string) =>
      root.post('/api/v1/lti/providers', {
        name,
        organizationId: org,
        ltiVersion: '1.1',
        consumerKey: KEY,
        sharedSecret: name === 'Picker' ? SECRET : 'another-secret-2',
        contentItemUrl,
        availableOrganizationIds: [org],
      });
    const created = await provider(SELECT_URL, 'Picker');
    expect(created.status).toBe(201);
    expect(created.body.contentItemUrl).toBe(SELECT_URL);
    providerId = created.body.id;
    otherProviderId = (await provider(SELECT_URL, 'Same key, other secret')).body.id;
    const authorApi = await ApiClient.signIn(testApp.baseUrl, 'author@example.com', 'a-long-test-password');
    courseId = (await authorApi.post('/api/v1/courses', { title: 'Picked course', organizationId: org })).body.id;
    author = new FormSession(testApp.baseUrl);
    await author.signIn('author@example.com', 'a-long-test-password');
  });

  afterAll(() => testApp.close());

  it('should offer "Add from" only for tools that take Content-Item and send a request the tool can verify', async () => {
    const course = await (await author.get(`/author/courses/${courseId}`)).text();
    expect(course).toContain(`/author/courses/${courseId}/content-items/${providerId}`);
    const page = await author.get(`/author/courses/${courseId}/content-items/${providerId}`);
    const request = formOf(await page.text());
    expect(request.action).toBe(SELECT_URL);
    expect(request.fields).toMatchObject({
      lti_message_type: 'ContentItemSelectionRequest',
      lti_version: 'LTI-1p0',
      accept_media_types: 'application/vnd.ims.lti.v1.ltilink',
      accept_presentation_document_targets: 'iframe,window',
      content_item_return_url: `${testApp.baseUrl}/lti/1p1/content-items/return`,
      oauth_consumer_key: KEY,
      oauth_callback: 'about:blank',
    });
    expect(request.fields.data).toMatch(/^[0-9a-f-]{36}$/);
    expect(signatureOf(SELECT_URL, request.fields, SECRET)).toBe(request.fields.oauth_signature);
    expect(page.headers.get('content-security-policy')).toContain("form-action 'self' http://127.0.0.1:9");
  });

  it('should turn the returned LtiLinkItems into resource links and activities when the answer is verified', async () => {
    const before = await count('course_activities WHERE course_id = $1', [courseId]);
    const { response } = await select([
      linkItem('Quiz 1', { custom: { level: 'hard' }, lineItem: { '@type': 'LineItem' } }),
      linkItem('Reading'),
    ]);
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(html).toContain('2 activities were added');
    expect(html).toContain('Picked for you');
    expect(await count('course_activities WHERE course_id = $1', [courseId])).toBe(before + 2);
    const [quiz] = await testApp.dataSource.query(
      `SELECT l.* FROM lti_resource_links l JOIN course_activities a ON a.resource_link_id = l.id
        WHERE a.course_id = $1 AND a.title = 'Quiz 1'`,
      [courseId],
    );
    expect(quiz).toMatchObject({
      provider_id: providerId,
      url: 'http://127.0.0.1:9/items/Quiz%201',
      requires_score_for_completion: true,
      custom_parameters: [{ name: 'level', value: 'hard' }],
    });
    expect(await count(`audit_events WHERE entity_id = $1 AND action = 'create'`, [quiz.id])).toBe(1);

    // The same item again gets a name of its own (names are unique per organization).
    await select([linkItem('Quiz 1')]);
    expect(await count(`lti_resource_links WHERE name = 'Quiz 1 (2)'`)).toBe(1);
  });

  it.each([
    ['a wrong secret', { secret: 'wrong-secret' }, [linkItem('X')], 'could not be verified'],
    [
      'a type not offered',
      {},
      [{ '@type': 'FileItem', mediaType: 'application/pdf', url: 'https://x.test/a.pdf' }],
      'LtiLinkItem',
    ],
    ['an http URL that is not loopback', {}, [linkItem('X', { url: 'http://tool.example/x' })], 'url'],
    ['a custom value that is not a string', {}, [linkItem('X', { custom: { n: 1 } })], 'custom values must be strings'],
    [
      'an unknown data value',
      { data: '00000000-0000-4000-8000-000000000000' },
      [linkItem('X')],
      'already used, has expired',
    ],
  ])('should refuse the selection and create nothing when it carries %s', async (_, options, items, message) => {
    const links = await count('lti_resource_links');
    const activities = await count('course_activities');
    const { response } = await select(items, options);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(await count('lti_resource_links')).toBe(links);
    expect(await count('course_activities')).toBe(activities);
  });

  it('should refuse a replayed answer and a second use of the same data, creating nothing more', async () => {
    const first = await select([linkItem('Once')]);
    expect(first.response.status).toBe(200);
    const activities = await count('course_activities');
    const replay = await fetch(first.returnUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(first.signed).toString(),
    });
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('already used');
    // A fresh signature (new nonce) over the same data: the data is single use.
    const {
      oauth_consumer_key: _k,
      oauth_nonce: _n,
      oauth_signature: _s,
      oauth_signature_method: _m,
      oauth_timestamp: _t,
      oauth_version: _v,
      ...answer
    } = first.signed;
    const reused = await fetch(first.returnUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(signLti1p1Form(first.returnUrl, answer, KEY, SECRET)).toString(),
    });
    expect(reused.status).toBe(400);
    expect(await count('course_activities')).toBe(activities);
  });

  it('should refuse the data of a selection asked of another tool with the same consumer key', async () => {
    const page = await author.get(`/author/courses/${courseId}/content-items/${providerId}`);
    const request = formOf(await page.text());
    const activities = await count('course_activities');
    const answer = signLti1p1Form(
      request.fields.content_item_return_url,
      {
        lti_message_type: 'ContentItemSelection',
        lti_version: 'LTI-1p0',
        data: request.fields.data,
        content_items: JSON.stringify({ '@graph': [linkItem('Stolen')] }),
      },
      KEY,
      'another-secret-2',
    );
    const response = await fetch(request.fields.content_item_return_url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(answer).toString(),
    });
    expect(response.status).toBe(400);
    expect(await count('course_activities')).toBe(activities);
    expect(otherProviderId).not.toBe(providerId);
  });

  it('should refuse two items and create nothing when the author asked for one', async () => {
    const activities = await count('course_activities');
    const { request, response } = await select([linkItem('One'), linkItem('Two')], { multiple: false });
    expect(request.fields.accept_multiple).toBe('false');
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('only one item was asked for');
    expect(await count('course_activities')).toBe(activities);
  });

  it('should show the cancel as nothing added when the tool returns no items', async () => {
    const { response } = await select(null);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Nothing was added');
  });
});
