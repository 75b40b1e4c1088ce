import { startTestApp, TestApp } from './support/test-app';

describe('operations endpoints', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(() => testApp.close());

  it('should report liveness and database readiness', async () => {
    const live = await fetch(`${testApp.baseUrl}/health`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${testApp.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual(
      expect.objectContaining({ status: 'ok', info: { database: expect.objectContaining({ status: 'up' }) } }),
    );
  });

  it('should expose Prometheus metrics with request durations by route pattern', async () => {
    await fetch(`${testApp.baseUrl}/login`);
    const metrics = await (await fetch(`${testApp.baseUrl}/metrics`)).text();
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/login",status="200"\} \d+/);
  });

  it('should publish OpenAPI for every /api/v1 route and nothing else', async () => {
    const document = (await (await fetch(`${testApp.baseUrl}/api/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    const paths = Object.keys(document.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/token',
        '/api/v1/organizations',
        '/api/v1/organizations/{id}',
        '/api/v1/users',
        '/api/v1/users/{id}',
        '/api/v1/users/{id}/memberships',
        '/api/v1/users/{id}/memberships/{membershipId}',
      ]),
    );
    expect(paths.every((p) => p.startsWith('/api/v1/'))).toBe(true);
    expect((await fetch(`${testApp.baseUrl}/api/docs`)).status).toBe(200);
  });

  it('should tag every response with a request id, and reuse a sane incoming one', async () => {
    const own = await fetch(`${testApp.baseUrl}/health`, { headers: { 'x-request-id': 'trace-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-123');
    const odd = await fetch(`${testApp.baseUrl}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer unknown pages with an HTML 404 and unknown API routes with problem+json', async () => {
    const page = await fetch(`${testApp.baseUrl}/no/such/page`);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    const api = await fetch(`${testApp.baseUrl}/api/v1/no-such-thing`);
    expect([401, 404]).toContain(api.status);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });
});
