import {
  ActivityProgress,
  CourseActivity,
  CourseClass,
  CourseWithActivities,
  Enrollment,
  notStarted,
} from '../learning/learning';
import { FIXED_TIME } from './fixed-time';

/** A placement of `link-1` in `course-1`. */
export function activity(overrides: Partial<CourseActivity> = {}): CourseActivity {
  return {
    id: 'activity-1',
    courseId: 'course-1',
    resourceLinkId: 'link-1',
    ltiResourceLinkId: 'rl-1',
    title: 'Chapter 3 quiz',
    position: 1,
    required: true,
    sourceActivityId: null,
    resourceLinkIdHistory: [],
    ...overrides,
  };
}

/** `course-1` of `org-1`, with one required activity unless given others. */
export function course(overrides: Partial<CourseWithActivities> = {}): CourseWithActivities {
  return {
    id: 'course-1',
    organizationId: 'org-1',
    title: 'Biology',
    code: 'BIO-101',
    description: null,
    sourceCourseId: null,
    contextIdHistory: [],
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    activities: [activity({ courseId: overrides.id ?? 'course-1' })],
    ...overrides,
  };
}

/** `class-1` of `course-1`, without dates unless given. */
export function courseClass(overrides: Partial<CourseClass> = {}): CourseClass {
  return {
    id: 'class-1',
    courseId: 'course-1',
    organizationId: 'org-1',
    title: 'March',
    code: null,
    startsOn: null,
    endsOn: null,
    createdAt: FIXED_TIME,
    updatedAt: FIXED_TIME,
    ...overrides,
  };
}

/** A learner's live enrollment in `class-1` of `course-1`. */
export function enrollment(overrides: Partial<Enrollment> = {}): Enrollment {
  return {
    id: 'enrollment-1',
    kind: 'class',
    courseId: 'course-1',
    classId: 'class-1',
    userId: 'user-1',
    role: 'learner',
    status: 'active',
    dueAt: null,
    completedAt: null,
    endedAt: null,
    createdAt: FIXED_TIME,
    ...overrides,
  };
}

/** An activity's progress: not started unless told otherwise. */
export function progress(overrides: Partial<ActivityProgress> = {}): ActivityProgress {
  return { ...notStarted('enrollment-1', 'activity-1'), ...overrides };
}
