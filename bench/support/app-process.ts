import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { startTestApp, TestApp } from '../../test/support/test-app';
import type { AppReply, AppRequest } from './app-host';
import { countQueries } from './query-counter';

const queries = countQueries();

/**
 * The application under load, in a process of its own (forked by app-host.ts), so that the load
 * generator does not share its event loop. It boots through the e2e harness (its own database on
 * the server DATABASE_URL names) and answers the parent's requests over IPC.
 */
function send(message: AppReply): void {
  process.send?.(message);
}

async function answer(app: TestApp, request: AppRequest): Promise<unknown> {
  switch (request.type) {
    case 'query':
      return app.dataSource.query(request.sql, request.params);
    case 'stats':
      return { eventLoop: performance.eventLoopUtilization(), queries: queries(), memory: process.memoryUsage() };
    case 'logs':
      return app.logs.lines;
    case 'close':
      await app.close();
      // Lets the process end by itself, so that --cpu-prof can write its profile.
      setImmediate(() => process.disconnect());
      return null;
  }
}

async function main(): Promise<void> {
  // The parent gone (crashed or killed): nothing is left to serve.
  process.on('disconnect', () => setTimeout(() => process.exit(0), 2_000).unref());
  const app = await startTestApp(JSON.parse(process.env.BENCH_APP_ENV ?? '{}') as Record<string, string>);
  process.on('message', (request: AppRequest) => {
    answer(app, request).then(
      (result) => send({ id: request.id, ok: true, result }),
      (error: unknown) => send({ id: request.id, ok: false, error: String(error) }),
    );
  });
  send({ type: 'ready', baseUrl: app.baseUrl, databaseUrl: app.env.DATABASE_URL });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
});
