import { Browser, BrowserContext, BrowserContextOptions, chromium, Locator, Page, Response } from 'playwright-core';

/** Debian's Chromium, headless, with everything that would reach the network switched off. */
/**
 * Debian's Chromium, headless. `popupBlocking`: keep Chromium's popup blocker on, as in a person's
 * browser (Playwright turns it off by default), so a window a script opens without a click is refused.
 */
export function launchBrowser(options: { popupBlocking?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs: options.popupBlocking ? ['--disable-popup-blocking'] : [],
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A fresh context (own cookies) whose relative URLs resolve against the app. */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  options: BrowserContextOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, baseURL: baseUrl });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

/**
 * A page in a fresh context, signed in through the form as `email`; the context joins `contexts`,
 * which the suite closes after its tests.
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  contexts: BrowserContext[],
  email: string,
  password: string,
): Promise<Page> {
  const { context, page } = await newPage(browser, baseUrl);
  contexts.push(context);
  await signInThroughForm(page, email, password);
  return page;
}

/** Signs in through the form and waits until the browser has left /login. */
export async function signInThroughForm(page: Page, email: string, password: string, path = '/login'): Promise<void> {
  await page.goto(path);
  await page.locator('#f-email').fill(email);
  await page.locator('#f-password').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== '/login'),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
}

/**
 * Clicks a submit button and waits for the page it leads to. Returns the final response of that
 * navigation: the re-rendered form (400, 401, 409) or, after a 303, the page redirected to.
 */
export async function submit(page: Page, button: Locator): Promise<Response> {
  const [response] = await Promise.all([page.waitForNavigation(), button.click()]);
  if (!response) throw new Error('the form submission did not load a new document');
  return response;
}

/** The trimmed text content of the element, or null when there is none. */
export async function textOf(page: Page, selector: string): Promise<string | null> {
  const text = await page.locator(selector).first().textContent();
  return text === null ? null : text.replace(/\s+/g, ' ').trim();
}
