import { fakeAccess } from '../access/access.fake';
import { course, courseClass, enrollment, progress } from '../testing/learning.factories';
import { ClassRepository } from './class.repository';
import { CourseRepository } from './course.repository';
import { EnrollmentRepository, RosterEntry } from './enrollment.repository';
import { ProgressRepository } from './progress.repository';
import { ProgressService } from './progress.service';

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
    classRoster: jest.fn(async () => roster),
  } as unknown as jest.Mocked<EnrollmentRepository>;
  const courses = { findById: jest.fn(async () => course()) } as unknown as jest.Mocked<CourseRepository>;
  const classes = {
    findInScope: jest.fn(async () => courseClass()),
    findById: jest.fn(async () => courseClass()),
  } as unknown as jest.Mocked<ClassRepository>;
  const progressRows = {
    listForEnrollments: jest.fn(async () => [
      progress({ enrollmentId: 'enrollment-7', status: 'completed', scorePercent: 90 }),
    ]),
  } as unknown as jest.Mocked<ProgressRepository>;
  const service = new ProgressService(enrollments, courses, classes, progressRows, access);
  return { service, courses, classes, progressRows };
}

describe('ProgressService', () => {
  it('should read the course and the class once when a class roster has hundreds of learners', async () => {
    const { service, courses, classes, progressRows } = setUp();

    const rows = await service.classRoster({ userId: 'teacher' }, 'class-1');

    expect(rows).toHaveLength(ROSTER_SIZE);
    expect(courses.findById).toHaveBeenCalledTimes(1);
    expect(classes.findById).toHaveBeenCalledTimes(1);
    expect(progressRows.listForEnrollments).toHaveBeenCalledTimes(1);
    expect(rows.every((row) => row.courseClass?.id === 'class-1')).toBe(true);
    expect(rows[7].activities[0].progress.status).toBe('completed');
    expect(rows[8].activities[0].progress.status).toBe('not_started');
  });
});
