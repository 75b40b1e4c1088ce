import { RefusedAuthorizations1796416329640 } from '../migrations/1796416329640-RefusedAuthorizations';
import { SelfTestLaunches1796415745562 } from '../migrations/1796415745562-SelfTestLaunches';
import { SelfTestRuns1796417188154 } from '../migrations/1796417188154-SelfTestRuns';
import { startTestApp, TestApp } from './support/test-app';

describe('The self-test and refused-authorization migrations', () => {
  let testApp: TestApp;

  const columnsOf = async (table: string) =>
    (
      await testApp.dataSource.query<{ name: string; nullable: string }[]>(
        `SELECT column_name AS name, is_nullable AS nullable FROM information_schema.columns
          WHERE table_name = $1 ORDER BY column_name`,
        [table],
      )
    ).map((c) => `${c.name}:${c.nullable}`);

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('should undo and redo cleanly, leaving the schema as it was, when run down and up again', async () => {
    const before = {
      launches: await columnsOf('lti_launches'),
      hints: await columnsOf('lti1p3_message_hints'),
      refused: await columnsOf('lti1p3_refused_authorizations'),
      runs: await columnsOf('lti_provider_self_tests'),
    };
    const migrations = [
      new SelfTestRuns1796417188154(),
      new RefusedAuthorizations1796416329640(),
      new SelfTestLaunches1796415745562(),
    ];
    const runner = testApp.dataSource.createQueryRunner();
    try {
      for (const migration of migrations) await migration.down(runner);
      expect(await columnsOf('lti_launches')).toContain('resource_link_id:NO');
      expect(await columnsOf('lti1p3_message_hints')).not.toContain('test_role:YES');
      expect(await columnsOf('lti1p3_refused_authorizations')).toEqual([]);
      for (const migration of [...migrations].reverse()) await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect({
      launches: await columnsOf('lti_launches'),
      hints: await columnsOf('lti1p3_message_hints'),
      refused: await columnsOf('lti1p3_refused_authorizations'),
      runs: await columnsOf('lti_provider_self_tests'),
    }).toEqual(before);
    expect(before.launches).toContain('resource_link_id:YES');
  });
});
