import { Lti1p3Fixtures } from '../bench/support/lti1p3-fixtures';
import { authorizePath, BenchHttpClient, loginFields, parseFormPost } from '../bench/support/lti1p3-launch';
import { KeptLaunchInstances, startKeptLaunchInstances } from './support/kept-launch-instances';
import type { RequestQueries } from './support/request-queries';
import type { TestApp } from './support/test-app';

/**
 * The OIDC authorization endpoint keeps the tools it answered per process. Two instances of the
 * application on one database: what one keeps never posts an id_token after the tool changed in the
 * database (here, as the other instance or anyone would change it): the login hint is claimed only
 * while the tool's row is the version read, else the tool is read again and decides.
 */
describe('the authorization endpoint with the tool its process keeps', () => {
  let instances: KeptLaunchInstances;
  let otherApp: TestApp;
  let client: BenchHttpClient;
  let lti1p3: Lti1p3Fixtures;
  let requests: RequestQueries[];

  beforeAll(async () => {
    instances = await startKeptLaunchInstances(1);
    ({ otherApp, client, lti1p3, requests } = instances);
  }, 120_000);

  afterAll(async () => {
    await instances?.close();
  });

  /** A login initiated on `app`, answered there with `redirectUri`: the form's fields, or null for a local error. */
  const launch = async (redirectUri = lti1p3.redirectUri) => {
    const [learner] = lti1p3.learners;
    const page = await client.get(learner.launchPath, { cookie: learner.cookie });
    expect(page.status).toBe(200);
    const answer = await client.get(authorizePath(loginFields(page.body), redirectUri, 'nonce-1', 'state-1'), {
      cookie: learner.cookie,
    });
    return { status: answer.status, fields: parseFormPost(answer.body)?.fields ?? null };
  };
  const changeTool = (sql: string, values: unknown[] = []) =>
    otherApp.dataSource.query(`UPDATE lti_providers SET ${sql} WHERE id = $1`, [lti1p3.providerId, ...values]);

  it('should answer the authorization in 2 round trips when the process keeps the tool and the session', async () => {
    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String) });
    const before = requests.length;

    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String), state: 'state-1' });

    const authorization = requests.slice(before).filter((r) => r.path.startsWith('/lti/1p3/authorize'));
    expect(authorization.map((r) => r.statements.length)).toEqual([2]);
  });

  it('should post nothing to a redirect_uri removed elsewhere when the process keeps the tool', async () => {
    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String) });

    await changeTool(`redirect_uris = $2::jsonb`, [JSON.stringify(['http://127.0.0.1:9/elsewhere'])]);
    const refused = await launch();
    await changeTool(`redirect_uris = $2::jsonb`, [JSON.stringify([lti1p3.redirectUri])]);

    expect(refused).toEqual({ status: 400, fields: null });
    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String) });
  });

  it('should post no id_token when the tool was disabled elsewhere and the process keeps it', async () => {
    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String) });

    // Disabled between the login initiation and the authorization: the launch page no longer initiates.
    const [learner] = lti1p3.learners;
    const page = await client.get(learner.launchPath, { cookie: learner.cookie });
    await changeTool(`status = 'disabled'`);
    const answer = await client.get(authorizePath(loginFields(page.body), lti1p3.redirectUri, 'nonce-2', 'state-2'), {
      cookie: learner.cookie,
    });
    await changeTool(`status = 'active'`);

    expect(parseFormPost(answer.body)?.fields.id_token).toBeUndefined();
    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String) });
  });

  it('should launch with a redirect_uri added elsewhere when the process keeps the tool without it', async () => {
    expect((await launch()).fields).toMatchObject({ id_token: expect.any(String) });
    const added = 'http://127.0.0.1:9/launch-added';

    await changeTool(`redirect_uris = $2::jsonb`, [JSON.stringify([lti1p3.redirectUri, added])]);

    expect(await launch(added)).toMatchObject({ status: 200, fields: { id_token: expect.any(String) } });
  });
});
