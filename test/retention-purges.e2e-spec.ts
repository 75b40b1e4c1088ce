import { ExpiryJanitor, REFUSALS_PER_MINUTE, RefusedAuthorizationRepository } from '@tms/core';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { ApiClient } from './support/api-client';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('Retention of Dynamic Registrations never completed and of refused authorizations', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let organizationId: string;

  const query = <T>(sql: string, parameters: unknown[] = []) => testApp.dataSource.query<T[]>(sql, parameters);
  const janitor = () => testApp.app.get(ExpiryJanitor);

  async function started(): Promise<string> {
    const response = await root.post('/api/v1/lti/registrations', {
      initiationUrl: 'https://tool.example/register',
      organizationId,
    });
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  /** Sends an authorization request naming a client_id no tool has: refused on our page, and kept (bounded). */
  function unknownClient(n: number) {
    return fetch(`${testApp.baseUrl}/lti/1p3/authorize?client_id=flood-${n}&redirect_uri=https%3A%2F%2Fx.example%2F`);
  }

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    organizationId = (await root.post('/api/v1/organizations', { name: 'Purged' })).body.id as string;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should delete a started registration whose token expired a day ago and keep a fresh one and a pending one', async () => {
    const expired = await started();
    const fresh = await started();
    const pending = await started();
    await query(`UPDATE lti_dynamic_registrations SET token_expires_at = now() - interval '2 days' WHERE id = $1`, [
      expired,
    ]);
    // A tool that registered waits for the administrator's decision, however old its token.
    await query(
      `UPDATE lti_dynamic_registrations SET status = 'pending', request = '{}'::jsonb,
              token_expires_at = now() - interval '30 days' WHERE id = $1`,
      [pending],
    );

    const purged = await janitor().purge();
    expect(purged.dynamicRegistrations).toBe(1);
    const left = await query<{ id: string }>('SELECT id FROM lti_dynamic_registrations ORDER BY id');
    expect(left.map((r) => r.id).sort()).toEqual([fresh, pending].sort());
    // Idempotent: two processes purging at once, or again, delete nothing more.
    const [again, concurrent] = await Promise.all([janitor().purge(), janitor().purge()]);
    expect(again.dynamicRegistrations + concurrent.dynamicRegistrations).toBe(0);
    expect(await query('SELECT id FROM lti_dynamic_registrations')).toHaveLength(2);
  });

  it('should keep the bound a minute of refusals of unknown clients and no more when flooded with requests', async () => {
    const responses = await Promise.all(Array.from({ length: REFUSALS_PER_MINUTE * 2 }, (_, n) => unknownClient(n)));
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
    }
    const [{ count }] = await query<{ count: number }>(
      'SELECT count(*)::int AS count FROM lti1p3_refused_authorizations WHERE provider_id IS NULL',
    );
    expect(count).toBe(REFUSALS_PER_MINUTE);
  });

  it('should keep exactly the bound of one provider’s refusals when many processes record at once', async () => {
    const provider = await root.post('/api/v1/lti/providers', {
      name: 'Flooded',
      organizationId,
      ltiVersion: '1.1',
      consumerKey: 'flooded-key',
      sharedSecret: 'flooded-secret',
    });
    expect(provider.status).toBe(201);
    const refusals = testApp.app.get(RefusedAuthorizationRepository);
    const kept = await Promise.all(
      Array.from({ length: REFUSALS_PER_MINUTE * 3 }, () =>
        refusals.record(
          {
            providerId: provider.body.id as string,
            clientId: 'flooded',
            error: 'invalid_request',
            description: 'flood',
            parameters: {},
            redirectUri: null,
            registeredRedirectUris: [],
          },
          REFUSALS_PER_MINUTE,
        ),
      ),
    );
    expect(kept.filter(Boolean)).toHaveLength(REFUSALS_PER_MINUTE);
    await query('DELETE FROM lti1p3_refused_authorizations WHERE provider_id = $1', [provider.body.id]);
  });

  it('should delete refused authorizations past their retention and keep recent ones when the janitor runs', async () => {
    await query(
      `UPDATE lti1p3_refused_authorizations SET created_at = now() - interval '31 days'
        WHERE id IN (SELECT id FROM lti1p3_refused_authorizations ORDER BY created_at LIMIT 5)`,
    );
    const purged = await janitor().purge();
    expect(purged.refusedAuthorizations).toBe(5);
    const [{ count }] = await query<{ count: number }>(
      'SELECT count(*)::int AS count FROM lti1p3_refused_authorizations',
    );
    expect(count).toBe(REFUSALS_PER_MINUTE - 5);
    expect((await janitor().purge(new Date(Date.now() + 31 * DAY_MS))).refusedAuthorizations).toBe(count);
  });
});
