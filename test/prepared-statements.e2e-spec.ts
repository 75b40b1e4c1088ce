import { QueryFailedError } from 'typeorm';
import { TransactionContext } from '../libs/persistence/src/database/transaction-context';
import { startTestApp, TestApp } from './support/test-app';

/** The hot statements run as named prepared statements: same rows, same transaction, same errors. */
describe('prepared statements of the transaction context', () => {
  let testApp: TestApp;
  let tx: TransactionContext;

  beforeAll(async () => {
    testApp = await startTestApp();
    tx = testApp.app.get(TransactionContext);
    await testApp.dataSource.query('CREATE TABLE prepared_probe (id int PRIMARY KEY, label text NOT NULL)');
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should answer the rows of each parameter set when one text runs again on the pool', async () => {
    const insert = 'INSERT INTO prepared_probe (id, label) VALUES ($1, $2) RETURNING id, label';

    const first = await tx.prepared(insert, [1, 'one']);
    const second = await tx.prepared(insert, [2, 'two']);

    expect([first, second]).toEqual([[{ id: 1, label: 'one' }], [{ id: 2, label: 'two' }]]);
  });

  it('should see and undo the transaction’s own writes when it runs inside a transaction that rolls back', async () => {
    const select = 'SELECT label FROM prepared_probe WHERE id = $1';
    const seen = await tx
      .run(async () => {
        await tx.prepared('INSERT INTO prepared_probe (id, label) VALUES ($1, $2)', [3, 'three']);
        const rows = await tx.prepared<{ label: string }>(select, [3]);
        throw Object.assign(new Error('roll back'), { rows });
      })
      .catch((error: { rows?: unknown }) => error.rows);

    expect(seen).toEqual([{ label: 'three' }]);
    expect(await tx.prepared(select, [3])).toEqual([]);
  });

  it('should throw a QueryFailedError with the driver’s code when the statement fails', async () => {
    const failure = await tx
      .prepared('INSERT INTO prepared_probe (id, label) VALUES ($1, $2)', [1, 'again'])
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(QueryFailedError);
    expect((failure as QueryFailedError).driverError).toMatchObject({ code: '23505' });
  });

  it('should leave the statement prepared on its connection, under a name of its text, when it has run', async () => {
    const select = 'SELECT label FROM prepared_probe WHERE id = $1 AND label <> $2';

    const prepared = await tx.run(async () => {
      await tx.prepared(select, [1, 'x']);
      return tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement = $1', [select]);
    });

    expect(prepared).toEqual([{ name: expect.stringMatching(/^tms_[A-Za-z0-9_-]{20}$/) }]);
  });

  it('should start no parallel workers when a statement of a request runs on any connection of the pool', async () => {
    const settings = await Promise.all(
      Array.from({ length: 4 }, () =>
        tx.run(() =>
          tx.query<{ workers: string }>('SELECT current_setting($1) AS workers', ['max_parallel_workers_per_gather']),
        ),
      ),
    );
    expect(settings.flat()).toEqual(Array.from({ length: 4 }, () => ({ workers: '0' })));
  });
});
