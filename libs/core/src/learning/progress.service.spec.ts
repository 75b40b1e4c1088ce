import { fakeAccess } from '../access/access.fake';
import { course, courseClass, enrollment, progress } from '../testing/learning.factories';
import { ClassRepository } from './class.repository';
import { CourseRepository } from './course.repository';
import { EnrollmentRepository, RosterEntry } from './enrollment.repository';
import { ProgressRepository } from './progress.repository';
import { ProgressSummaryRepository } from './progress-summary.repository';
import { ProgressService } from './progress.service';
import { RosterViewRepository } from './roster-view.repository';

const ROSTER_SIZE = 300;

function rosterEntry(n: number): RosterEntry {
  return {
    ...enrollment({ id: `enrollment-${n}`, userId: `user-${n}` }),
    userName: `Learner ${n}`,
    userEmail: `learner-${n}@example.com`,
  };
}

function setUp() {
  const { access } = fakeAccess({
    organizations: [{ id: 'org-1', parentId: null }],
    memberships: [{ userId: 'teacher', organizationId: 'org-1', role: 'instructor' }],
  });
  const roster = Array.from({ length: ROSTER_SIZE }, (_, n) => rosterEntry(n));
  const enrollments = {
    rosterPage: jest.fn(async () => ({ items: roster, total: ROSTER_SIZE, page: 1, limit: ROSTER_SIZE })),
    rosterAfter: jest.fn(async (_scope: unknown, _of: unknown, after: RosterEntry | null, limit: number) => {
      const start = after ? roster.indexOf(after) + 1 : 0;
      return roster.slice(start, start + limit);
    }),
  } as unknown as jest.Mocked<EnrollmentRepository>;
  const courses = { findById: jest.fn(async () => course()) } as unknown as jest.Mocked<CourseRepository>;
  const classes = {
    findInScope: jest.fn(async () => courseClass()),
    findByIds: jest.fn(async () => [courseClass()]),
  } as unknown as jest.Mocked<ClassRepository>;
  const progressRows = {
    listForEnrollments: jest.fn(async () => [
      progress({ enrollmentId: 'enrollment-7', status: 'completed', scorePercent: 90 }),
    ]),
  } as unknown as jest.Mocked<ProgressRepository>;
  const summaries = { count: jest.fn() } as unknown as jest.Mocked<ProgressSummaryRepository>;
  const rosterViews = {
    page: jest.fn(async () => ({ items: [], total: 0, page: 1, limit: 50 })),
  } as unknown as jest.Mocked<RosterViewRepository>;
  const service = new ProgressService(enrollments, courses, classes, progressRows, access, summaries, rosterViews);
  return { service, enrollments, courses, classes, progressRows, rosterViews };
}

describe('ProgressService', () => {
  it('should read the course and the class once when a class roster has hundreds of learners', async () => {
    const { service, courses, classes, progressRows } = setUp();

    const { items: rows, total } = await service.classRoster({ userId: 'teacher' }, 'class-1', {
      page: 1,
      limit: ROSTER_SIZE,
    });

    expect(rows).toHaveLength(ROSTER_SIZE);
    expect(total).toBe(ROSTER_SIZE);
    expect(courses.findById).toHaveBeenCalledTimes(1);
    expect(classes.findByIds).toHaveBeenCalledTimes(1);
    expect(progressRows.listForEnrollments).toHaveBeenCalledTimes(1);
    expect(rows.every((row) => row.courseClass?.id === 'class-1')).toBe(true);
    expect(rows[7].activities[0].progress.status).toBe('completed');
    expect(rows[8].activities[0].progress.status).toBe('not_started');
  });

  it('should read the roster in keyset batches, each row once and the course once, when exporting more rows than a batch', async () => {
    const { service, enrollments, courses } = setUp();
    const ROSTER_BATCH_ROWS = 120;
    const seen: string[] = [];
    const sizes: number[] = [];

    for await (const batch of await service.classRosterBatches({ userId: 'teacher' }, 'class-1', ROSTER_BATCH_ROWS)) {
      sizes.push(batch.length);
      seen.push(...batch.map((row) => row.enrollment.id));
    }

    expect(sizes).toEqual([120, 120, 60]);
    expect(new Set(seen).size).toBe(ROSTER_SIZE);
    expect(seen[0]).toBe('enrollment-0');
    expect(seen[ROSTER_SIZE - 1]).toBe(`enrollment-${ROSTER_SIZE - 1}`);
    expect(enrollments.rosterAfter).toHaveBeenCalledTimes(3);
    expect(courses.findById).toHaveBeenCalledTimes(1);
  });

  it('should refuse before reading any row when the class is outside the scope', async () => {
    const { service, enrollments, classes } = setUp();
    classes.findInScope.mockResolvedValueOnce(null);

    await expect(service.classRosterBatches({ userId: 'teacher' }, 'class-2')).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(enrollments.rosterAfter).not.toHaveBeenCalled();
  });

  it('should read the page of the class’s view in the caller’s scope when the class is in it', async () => {
    const { service, rosterViews } = setUp();

    await service.classRosterView({ userId: 'teacher' }, 'class-1', { page: 2, limit: 10 });

    expect(rosterViews.page).toHaveBeenCalledWith(expect.anything(), { classId: 'class-1' }, { page: 2, limit: 10 });
  });

  it('should refuse before reading any view row when the class is outside the scope', async () => {
    const { service, classes, rosterViews } = setUp();
    classes.findInScope.mockResolvedValueOnce(null);

    await expect(
      service.classRosterView({ userId: 'teacher' }, 'class-2', { page: 1, limit: 10 }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(rosterViews.page).not.toHaveBeenCalled();
  });
});
