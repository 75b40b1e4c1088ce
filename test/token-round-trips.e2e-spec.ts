import { generateKeyPairSync } from 'node:crypto';
import { AGS_SCOPES } from '../libs/lti/src/lti1p3/lti-services';
import { AgsFixtures, createAgsFixtures } from '../bench/support/ags-fixtures';
import { signClientAssertion, tokenRequestForm, ToolClient } from '../bench/support/lti1p3-services';
import { countQueries } from '../bench/support/query-counter';
import { startOtherInstance, startTestApp, TestApp } from './support/test-app';

/**
 * The token endpoint of two instances of the application on one database (both in this process, the
 * notice poller slowed down so that nothing else queries meanwhile): a token costs one SQL round trip
 * on an instance that knows the tool, and what one instance keeps of a tool never authorizes a token
 * after the other (or anyone, in the database) replayed its jti, disabled it, or changed its key.
 */
describe('SQL round trips of a token request, and its tool kept per process', () => {
  const queries = countQueries();
  let app: TestApp;
  let otherApp: TestApp;
  let ags: AgsFixtures;
  /** The tool with the key it signs with now (a test below gives it a new one). */
  let tool: ToolClient;

  beforeAll(async () => {
    app = await startTestApp({ TMS_NOTICE_POLL_MS: '600000' });
    // The same database, secrets and public URL: the other instance of one deployment.
    otherApp = await startOtherInstance(app, { TMS_NOTICE_POLL_MS: '600000' });
    ags = await createAgsFixtures(app.baseUrl, 1);
    tool = ags.tool;
  }, 120_000);

  afterAll(async () => {
    await otherApp?.close();
    await app?.close();
  });

  /** A token request to `on` with `assertion`: its status, its OAuth error, and the queries it made. */
  const ask = async (on: TestApp, assertion: string) => {
    const before = queries();
    const response = await fetch(`${on.baseUrl}/lti/1p3/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: tokenRequestForm(assertion, [AGS_SCOPES.score]),
    });
    const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
    return { status: response.status, error: body.error ?? null, roundTrips: queries() - before };
  };
  const signed = (by: ToolClient = tool) => signClientAssertion(by, ags.tokenUrl);
  const tokenRows = async () =>
    Number(
      (
        await app.dataSource.query(`SELECT count(*) AS n FROM lti1p3_access_tokens WHERE provider_id = $1`, [
          ags.providerId,
        ])
      )[0].n,
    );

  it('should make one SQL round trip when a token is issued to a tool the process read before', async () => {
    expect((await ask(app, await signed())).status).toBe(200);

    const issued = await ask(app, await signed());

    expect(issued).toEqual({ status: 200, error: null, roundTrips: 1 });
  });

  it('should refuse a jti on one instance when the other granted a token for it', async () => {
    for (const [first, second] of [
      [app, otherApp],
      [otherApp, app],
    ]) {
      const assertion = await signed();
      expect((await ask(first, assertion)).status).toBe(200);
      const rows = await tokenRows();

      expect(await ask(second, assertion)).toMatchObject({ status: 401, error: 'invalid_client' });
      expect(await tokenRows()).toBe(rows);
    }
  });

  it('should refuse at once a tool the process keeps when it is disabled elsewhere, and grant again when it is enabled', async () => {
    expect((await ask(app, await signed())).status).toBe(200);
    const rows = await tokenRows();

    await otherApp.dataSource.query(`UPDATE lti_providers SET status = 'disabled' WHERE id = $1`, [ags.providerId]);
    const refused = [await ask(app, await signed()), await ask(otherApp, await signed())];
    await otherApp.dataSource.query(`UPDATE lti_providers SET status = 'active' WHERE id = $1`, [ags.providerId]);

    expect(refused).toMatchObject([
      { status: 401, error: 'invalid_client' },
      { status: 401, error: 'invalid_client' },
    ]);
    expect(await tokenRows()).toBe(rows);
    expect((await ask(app, await signed())).status).toBe(200);
  });

  it('should refuse the old key and accept the new one at once when the tool’s key changes elsewhere', async () => {
    expect((await ask(app, await signed())).status).toBe(200);
    expect((await ask(otherApp, await signed())).status).toBe(200);
    const rows = await tokenRows();
    const next = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const newTool: ToolClient = { clientId: tool.clientId, privateKey: next.privateKey };

    await otherApp.dataSource.query(`UPDATE lti_providers SET public_key_pem = $2 WHERE id = $1`, [
      ags.providerId,
      next.publicKey.export({ type: 'spki', format: 'pem' }),
    ]);

    const old = [await ask(app, await signed()), await ask(otherApp, await signed())];
    expect(old).toMatchObject([
      { status: 401, error: 'invalid_client' },
      { status: 401, error: 'invalid_client' },
    ]);
    expect(await tokenRows()).toBe(rows);
    expect((await ask(app, await signed(newTool))).status).toBe(200);
    expect((await ask(otherApp, await signed(newTool))).status).toBe(200);
    tool = newTool;
  });

  it('should grant only what the tool is allowed now when its services shrink elsewhere', async () => {
    expect((await ask(app, await signed())).status).toBe(200);

    await otherApp.dataSource.query(`UPDATE lti_providers SET services = '[]'::jsonb WHERE id = $1`, [ags.providerId]);

    expect(await ask(app, await signed())).toMatchObject({ status: 400, error: 'invalid_scope' });
  });
});
