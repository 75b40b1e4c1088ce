import { LaunchProgress, LaunchProgressChange, ProgressAsRead } from '../grading/launch-progress';
import { CourseRepository } from '../learning/course.repository';
import { UnitOfWork } from '../shared/unit-of-work';
import { launchContext } from '../testing/launch.factories';
import { progress } from '../testing/learning.factories';
import { FIXED_TIME } from '../testing/fixed-time';
import { LaunchRecorder } from './launch-recorder';
import { REDACTED } from './launch-sent';
import { LaunchRepository, NewLaunchRecord } from './launch.repository';

function setUp() {
  const writes: string[] = [];
  const uow = {
    run: jest.fn(async <T>(work: () => Promise<T>) => {
      writes.push('begin');
      const result = await work();
      writes.push('commit');
      return result;
    }),
  };
  let stillAsRead = true;
  const launches = {
    record: jest.fn(async (_launch: NewLaunchRecord) => void writes.push('launch')),
    recordAsRead: jest.fn(async (_launch: NewLaunchRecord, change: LaunchProgressChange) => {
      writes.push(stillAsRead ? `launch and progress as read (${change.fingerprint})` : 'changed since read');
      return stillAsRead;
    }),
  };
  const progressWriter = {
    record: jest.fn(async () => void writes.push('progress')),
    changeAsRead: jest.fn(
      async (target: { enrollmentId: string }, _enrollment: unknown, asRead: ProgressAsRead) =>
        ({ enrollmentId: target.enrollmentId, fingerprint: asRead.fingerprint }) as LaunchProgressChange,
    ),
  };
  const recorder = new LaunchRecorder(
    uow as unknown as UnitOfWork,
    launches as unknown as LaunchRepository,
    progressWriter as unknown as LaunchProgress,
    {} as CourseRepository,
  );
  const changeSinceRead = () => void (stillAsRead = false);
  return { recorder, writes, launches, progressWriter, changeSinceRead };
}

const asRead: ProgressAsRead = { fingerprint: 'fingerprint-1', rows: [] };

const launched = { firstLaunchedAt: FIXED_TIME, status: 'awaiting_score' as const };

describe('LaunchRecorder', () => {
  it('should write the launch record alone, outside a transaction, when the learner’s progress as read would not change', async () => {
    const { recorder, writes, launches } = setUp();

    await recorder.begin(launchContext({ progress: progress(launched) }), '1.3').commit(['Learner'], []);

    expect(writes).toEqual(['launch']);
    expect(launches.record).toHaveBeenCalledWith(
      expect.objectContaining({ enrollmentId: 'enrollment-1', kind: 'learner' }),
    );
  });

  it.each([
    ['it is the learner’s first launch', progress()],
    ['the learner has no progress row yet', null],
    ['the placement’s progress was not read', undefined],
    [
      'the progress is launched and not yet waiting for the score the placement takes',
      progress({ ...launched, status: 'launched' }),
    ],
  ])('should record the launch and the progress in one transaction when %s', async (_, read) => {
    const { recorder, writes, progressWriter } = setUp();

    await recorder.begin(launchContext({ progress: read }), '1.1').commit(['Learner'], []);

    expect(writes).toEqual(['begin', 'launch', 'progress', 'commit']);
    expect(progressWriter.record).toHaveBeenCalledWith(
      expect.objectContaining({ enrollmentId: 'enrollment-1', activityId: 'activity-1' }),
    );
  });

  it('should record the launch and the progress in the one statement that checks the progress as read when it was read', async () => {
    const { recorder, writes, progressWriter } = setUp();

    await recorder.begin(launchContext({ progress: null, progressAsRead: asRead }), '1.1').commit(['Learner'], []);

    expect(writes).toEqual(['launch and progress as read (fingerprint-1)']);
    expect(progressWriter.changeAsRead).toHaveBeenCalledWith(
      expect.objectContaining({ enrollmentId: 'enrollment-1', activityId: 'activity-1' }),
      expect.objectContaining({ id: 'enrollment-1' }),
      asRead,
    );
    expect(progressWriter.record).not.toHaveBeenCalled();
  });

  it('should record the launch and the progress under the lock when the progress changed since it was read', async () => {
    const { recorder, writes, changeSinceRead } = setUp();
    changeSinceRead();

    await recorder.begin(launchContext({ progress: null, progressAsRead: asRead }), '1.1').commit(['Learner'], []);

    expect(writes).toEqual(['changed since read', 'begin', 'launch', 'progress', 'commit']);
  });

  it('should write the launch record alone when an instructor launches', async () => {
    const { recorder, writes } = setUp();

    await recorder.begin(launchContext({ kind: 'instructor', progress: undefined }), '1.3').commit(['Instructor'], []);

    expect(writes).toEqual(['launch']);
  });

  it('should keep a preview’s role URIs whole when its test user is named like a role', async () => {
    const { recorder, launches } = setUp();
    const role = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';
    const testUser = { fullName: 'Test Learner', givenName: 'Test', familyName: 'Learner' };
    const person = { ...testUser, email: null, sourcedId: null, username: null };

    await recorder
      .begin(launchContext({ kind: 'preview', enrollment: null }), '1.3')
      .commit([role], [], { version: '1.3', claims: { roles: [role], name: 'Test Learner' } }, person);

    expect(launches.record.mock.calls[0][0].sent).toEqual({
      version: '1.3',
      claims: { roles: [role], name: 'Test Learner' },
    });
  });

  it('should redact a learner’s own values from what was sent', async () => {
    const { recorder, launches } = setUp();
    const person = {
      fullName: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      email: null,
      sourcedId: null,
      username: null,
    };

    await recorder
      .begin(launchContext({ progress: progress(launched) }), '1.3')
      .commit(['Learner'], [], { version: '1.3', claims: { name: 'Ada Lovelace' } }, person);

    expect(launches.record.mock.calls[0][0].sent).toEqual({ version: '1.3', claims: { name: REDACTED } });
  });
});
