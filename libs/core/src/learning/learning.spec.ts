import { hasClassEnded, isCourseComplete, notStarted } from './learning';
import { ltiContextOf, ltiResourceLinkIdIn } from './lti-context';

const at = new Date('2026-01-01T00:00:00Z');
const course = {
  id: 'c1',
  organizationId: 'o',
  title: 'Secure coding',
  code: 'SC-1',
  description: null,
  sourceCourseId: null,
  contextIdHistory: [],
  createdAt: at,
  updatedAt: at,
};
const courseClass = {
  id: 'k1',
  courseId: 'c1',
  organizationId: 'o',
  title: 'March',
  code: null,
  startsOn: null,
  endsOn: null,
  createdAt: at,
  updatedAt: at,
};
const activity = (id: string, required: boolean) => ({
  id,
  courseId: 'c1',
  resourceLinkId: 'l',
  ltiResourceLinkId: id,
  title: id,
  position: 1,
  required,
  sourceActivityId: null,
  resourceLinkIdHistory: [],
});

describe('learning rules', () => {
  it('should make a class a course section and a self-paced course its own offering, with stable ids', () => {
    expect(ltiContextOf(course, courseClass)).toEqual({
      id: 'k1',
      label: 'SC-1',
      title: 'Secure coding — March',
      type: 'CourseSection',
      idHistory: [],
    });
    expect(ltiContextOf({ ...course, title: 'Renamed' }, null)).toMatchObject({
      id: 'c1:self-paced',
      type: 'CourseOffering',
    });
  });

  it('should complete a course only when every required activity is completed', () => {
    const activities = [activity('a', true), activity('b', false)];
    const done = (id: string) => ({ ...notStarted('e', id), status: 'completed' as const });
    expect(isCourseComplete(activities, new Map([['a', done('a')]]))).toBe(true);
    expect(isCourseComplete(activities, new Map([['b', done('b')]]))).toBe(false);
    expect(isCourseComplete([activity('b', false)], new Map())).toBe(false);
  });

  it('should keep a placement’s resource_link_id in the course offering and give each class its own, stable one', () => {
    const placed = activity('a', true);
    const offering = ltiContextOf(course, null);
    const march = ltiContextOf(course, courseClass);
    const april = ltiContextOf(course, { ...courseClass, id: 'k2' });
    expect(ltiResourceLinkIdIn(placed, offering)).toBe(placed.ltiResourceLinkId);
    const inMarch = ltiResourceLinkIdIn(placed, march);
    expect(inMarch).toMatch(/^[0-9a-f]{40}$/);
    expect(inMarch).not.toBe(placed.ltiResourceLinkId);
    expect(ltiResourceLinkIdIn(placed, april)).not.toBe(inMarch);
    expect(ltiResourceLinkIdIn({ ...placed }, march)).toBe(inMarch);
  });
});

describe('hasClassEnded', () => {
  const endsOn = (date: string | null) => ({ endsOn: date });

  it('should keep a class running through its last day in every time zone', () => {
    // 2026-12-04 ends at 2026-12-05T12:00Z, when it is midnight in UTC−12.
    expect(hasClassEnded(endsOn('2026-12-04'), new Date('2026-12-04T23:59:59Z'))).toBe(false);
    expect(hasClassEnded(endsOn('2026-12-04'), new Date('2026-12-05T11:59:59.999Z'))).toBe(false);
  });

  it('should end a class once its end date is over everywhere', () => {
    expect(hasClassEnded(endsOn('2026-12-04'), new Date('2026-12-05T12:00:00Z'))).toBe(true);
    expect(hasClassEnded(endsOn('2020-01-01'), new Date('2026-12-05T00:00:00Z'))).toBe(true);
  });

  it('should never end a class without an end date', () => {
    expect(hasClassEnded(endsOn(null), new Date('9999-12-31T00:00:00Z'))).toBe(false);
  });
});
