import type { Server } from 'node:http';
import { createLti1p3Fixtures, Lti1p3Fixtures } from '../../bench/support/lti1p3-fixtures';
import { BenchHttpClient } from '../../bench/support/lti1p3-launch';
import { recordRequestQueries, RequestQueries } from './request-queries';
import { startOtherInstance, startTestApp, TestApp } from './test-app';

/**
 * Two instances of one deployment for LTI 1.3 launches that a process answers from what it keeps:
 * `app` answers the launches (through `client`, its statements per request in `requests`), and
 * `otherApp` changes things as another process would.
 */
export interface KeptLaunchInstances {
  readonly app: TestApp;
  readonly otherApp: TestApp;
  readonly client: BenchHttpClient;
  readonly lti1p3: Lti1p3Fixtures;
  readonly requests: RequestQueries[];
  close(): Promise<void>;
}

export async function startKeptLaunchInstances(learners: number): Promise<KeptLaunchInstances> {
  const app = await startTestApp();
  const otherApp = await startOtherInstance(app);
  const requests = recordRequestQueries(app.app.getHttpServer() as Server);
  const lti1p3 = await createLti1p3Fixtures(app.baseUrl, learners);
  const client = new BenchHttpClient(app.baseUrl, 1);
  return {
    app,
    otherApp,
    client,
    lti1p3,
    requests,
    close: async () => {
      client.close();
      await otherApp.close();
      await app.close();
    },
  };
}
