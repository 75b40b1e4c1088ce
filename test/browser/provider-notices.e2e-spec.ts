import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { ApiClient } from '../support/api-client';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { registerServiceTool, requestServiceToken } from '../support/lti-services-client';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app';
import { BuiltApp, startBuiltApp } from '../support/built-app';

const NOTICE_HANDLERS_SCOPE = 'https://purl.imsglobal.org/spec/lti/scope/noticehandlers';

describe('platform notifications on the provider page in a browser', () => {
  let testApp: BuiltApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let handler: Server;
  let handlerUrl: string;
  let providerId: string;
  let token: string;
  const received: string[] = [];

  const register = (url: string) =>
    fetch(`${testApp.baseUrl}/lti/1p3/pns/notice-handlers`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ notice_type: 'LtiHelloWorldNotice', handler: url }),
    });
  const rows = async () =>
    Promise.all(
      (await page.locator('table.notice-deliveries tbody tr').all()).map(async (row) =>
        (await row.locator('td').allTextContents()).map((t) => t.trim()),
      ),
    );

  beforeAll(async () => {
    testApp = await startBuiltApp({ TMS_NOTICE_POLL_MS: '200', TMS_NOTICE_RETRY_BASE_SECONDS: '1' });
    handler = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        received.push(req.url ?? '');
        res.writeHead(204).end();
      });
    });
    handler.listen(0, '127.0.0.1');
    await once(handler, 'listening');
    handlerUrl = `http://127.0.0.1:${(handler.address() as AddressInfo).port}/notices`;
    const root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const org = (await root.post('/api/v1/organizations', { name: 'Notified' })).body.id;
    const tool = await registerServiceTool(root, { name: 'Notified tool', organizationId: org, services: ['notices'] });
    providerId = tool.id;
    token = await requestServiceToken(testApp.baseUrl, tool, NOTICE_HANDLERS_SCOPE);
    browser = await launchBrowser();
    ({ context, page } = await newPage(browser, testApp.baseUrl));
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    handler?.close();
    await testApp?.close();
  });

  it('should say why no test notice can be sent when the tool has registered no handler', async () => {
    await page.goto(`/admin/lti/providers/${providerId}`);
    expect(await textOf(page, 'table.notice-handlers tbody tr:first-child td:last-child')).toBe('none registered');
    await submit(page, page.getByRole('button', { name: 'Send a test notice' }));
    expect(await textOf(page, 'p.field-error[data-field="notices"]')).toBe(
      'The tool has registered no handler for LtiHelloWorldNotice yet.',
    );
    expect(await page.locator('table.notice-deliveries').count()).toBe(0);
  });

  it('should show the handler, queue a test notice and show it sent when the administrator sends one', async () => {
    expect((await register(handlerUrl)).status).toBe(200);
    await page.goto(`/admin/lti/providers/${providerId}`);
    expect(await textOf(page, 'table.notice-handlers tbody tr:first-child td:last-child')).toBe(handlerUrl);
    await submit(page, page.getByRole('button', { name: 'Send a test notice' }));
    expect(await textOf(page, '.notice')).toContain('A test notice (LtiHelloWorldNotice) is queued');
    let shown = await rows();
    for (let i = 0; i < 100 && shown[0]?.[1] !== 'sent'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await page.reload();
      shown = await rows();
    }
    expect(shown).toHaveLength(1);
    expect(shown[0].slice(0, 5)).toEqual(['LtiHelloWorldNotice', 'sent', '1', '', '']);
    expect(received).toEqual(['/notices']);
  });
});
