import { Browser } from 'playwright-core';
import { launchBrowser, newPage, signInThroughForm, submit, textOf } from '../support/browser';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from '../support/test-app';

describe('probe', () => {
  let testApp: TestApp;
  let browser: Browser;
  beforeAll(async () => {
    testApp = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await testApp?.close();
  });
  it('probes', async () => {
    const { context, page } = await newPage(browser, testApp.baseUrl);
    let dialogs = 0;
    page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
    await signInThroughForm(page, ADMIN_EMAIL, ADMIN_PASSWORD, '/login?next=%2Fadmin%2Fpeople%3Fsearch%3Droot');
    console.log('deep link with query ->', page.url());
    const r = await page.goto('/admin/people');
    console.log('headers', JSON.stringify(await r!.allHeaders()));
    // own page
    await page.locator('table tbody a').first().click();
    await page.waitForURL(/\/admin\/people\/[0-9a-f-]{36}$/);
    const me = page.url();
    let res = await submit(page, page.getByRole('button', { name: 'Save' }));
    console.log('save unchanged', res.status(), page.url(), await textOf(page, '.notice'), await page.locator('.field-error').allTextContents());
    await page.goto(me);
    res = await submit(page, page.getByRole('button', { name: 'Suspend' }));
    console.log('self suspend', res.status(), page.url(), await page.locator('.field-error').allTextContents(), await textOf(page, 'h1'));
    await page.goto(me);
    res = await submit(page, page.getByRole('button', { name: 'Remove' }));
    console.log('remove own admin', res.status(), page.url(), await page.locator('.field-error').allTextContents());
    await page.goto(me);
    await page.locator('#f-givenName').fill('');
    res = await submit(page, page.getByRole('button', { name: 'Save' }));
    console.log('clear given', res.status(), page.url(), await textOf(page, 'h1'), await page.locator('.field-error').allTextContents());
    // xss
    await page.goto('/admin/organizations');
    await page.locator('#f-name').fill('<img src=x onerror=alert(1)>');
    res = await submit(page, page.getByRole('button', { name: 'Create' }));
    console.log('xss', res.status(), await textOf(page, 'h1'), dialogs);
    const org = page.url().split('?')[0];
    // rename to duplicate of root? rename sibling
    await page.goto('/admin/organizations');
    await page.locator('#f-name').fill('Second');
    await submit(page, page.getByRole('button', { name: 'Create' }));
    await page.locator('#f-name').fill('<img src=x onerror=alert(1)>');
    res = await submit(page, page.getByRole('button', { name: 'Save' }));
    console.log('rename dup', res.status(), page.url(), await page.locator('.field-error').allTextContents(), await page.locator('#f-parentId').count());
    await page.locator('#f-name').fill('');
    res = await submit(page, page.getByRole('button', { name: 'Save' }));
    console.log('rename empty', res.status(), page.url(), await page.locator('.field-error').allTextContents());
    await page.goto(org);
    // root org page
    await page.goto('/admin/organizations');
    await page.locator('ul.tree a').first().click();
    await page.waitForURL(/organizations\/[0-9a-f-]{36}$/);
    console.log('root page parent select', await page.locator('#f-parentId').count(), await textOf(page, 'dl.facts'));
    // pager / bad filter
    res = await page.goto('/admin/people?organizationId=nope&status=weird&page=0');
    console.log('bad filter', res!.status(), await page.locator('.field-error').allTextContents(), await textOf(page, 'table tbody'));
    res = await page.goto('/admin/people?limit=1');
    console.log('pager', res!.status(), await textOf(page, '.pager'));
    // sign out, then back
    await page.goto('/admin/people');
    await submit(page, page.getByRole('button', { name: 'Sign out' }));
    await page.goBack();
    console.log('after back', page.url(), await textOf(page, 'h1'));
    res = await page.goto('/login?next=%2Fadmin%2Fpeople');
    console.log('csrf cookie rotated?', JSON.stringify(await context.cookies()));
    await context.close();
  });
});
