import { RosterProgress } from '@tms/core';
import { progressCsv } from './progress-csv';

const at = new Date('2026-03-01T10:00:00Z');
const activity = {
  id: 'act',
  courseId: 'c',
  resourceLinkId: 'l',
  ltiResourceLinkId: 'x',
  title: 'Lab, part 1',
  position: 1,
  required: true,
  sourceActivityId: null,
  resourceLinkIdHistory: [],
};

function row(userName: string, status: 'completed' | 'not_started', scorePercent: number | null): RosterProgress {
  const enrollment = {
    id: userName,
    kind: 'self_paced' as const,
    courseId: 'c',
    classId: null,
    userId: 'u',
    role: 'learner' as const,
    status: 'active' as const,
    dueAt: null,
    completedAt: null,
    endedAt: null,
    createdAt: at,
  };
  return {
    enrollment,
    entry: { ...enrollment, userName, userEmail: 'u@example.com' },
    course: {
      id: 'c',
      organizationId: 'o',
      title: 'C',
      code: null,
      description: null,
      sourceCourseId: null,
      contextIdHistory: [],
      createdAt: at,
      updatedAt: at,
      activities: [activity],
    },
    courseClass: null,
    activities: [
      {
        activity,
        progress: {
          enrollmentId: userName,
          activityId: 'act',
          status,
          scorePercent,
          scoreGiven: null,
          scoreMaximum: null,
          scoredAt: null,
          firstLaunchedAt: null,
          completedAt: null,
        },
      },
    ],
    courseComplete: status === 'completed',
  };
}

describe('progressCsv', () => {
  it('should quote fields with commas and quotes, per RFC 4180, with CRLF line ends', () => {
    const csv = progressCsv([row('Doe, "Jay"', 'completed', 92.5)]);
    expect(csv).toBe(
      'learner,email,role,offering,enrolled_at,enrollment_status,course_complete,"Lab, part 1 status","Lab, part 1 score"\r\n' +
        '"Doe, ""Jay""",u@example.com,learner,self-paced,2026-03-01T10:00:00.000Z,active,yes,completed,92.5\r\n',
    );
  });

  it('should defuse cells a spreadsheet would run as formulas when a name starts with = + - or @', () => {
    for (const name of ['=HYPERLINK("http://evil")', '+1', '-2', '@SUM(A1)']) {
      const line = progressCsv([row(name, 'not_started', null)]).split('\r\n')[1];
      expect(line.startsWith(`"'${name[0]}`) || line.startsWith(`'${name[0]}`)).toBe(true);
    }
  });
});
