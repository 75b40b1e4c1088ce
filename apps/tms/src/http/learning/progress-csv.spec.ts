import { RosterProgress } from '@tms/core';
import { EventEmitter } from 'node:events';
import type { Response } from 'express';
import { progressCsv, sendProgressCsv } from './progress-csv';

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

/** A response that takes every write (or, with `gone`, is closed by the client at the first one). */
function fakeResponse(gone: boolean) {
  const response = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const chunks: string[] = [];
  Object.assign(response, {
    chunks,
    ended: false,
    destroyed: false,
    headersSent: false,
    type: () => response,
    attachment: () => response,
    write: (text: string) => {
      chunks.push(text);
      response.headersSent = true;
      if (!gone) return true;
      setImmediate(() => {
        response.destroyed = true;
        response.emit('close');
      });
      return false;
    },
    end: (text: string) => {
      chunks.push(text);
      response.ended = true;
    },
  });
  return response as unknown as Response & { chunks: string[]; ended: boolean };
}

async function* batchesOf(batches: RosterProgress[][], read: { count: number }) {
  for (const batch of batches) {
    read.count += 1;
    yield batch;
  }
}

describe('sendProgressCsv', () => {
  it('should write the header once and every batch in order, then end, when the client takes them all', async () => {
    const response = fakeResponse(false);
    const read = { count: 0 };

    await sendProgressCsv(response, 'r.csv', batchesOf([[row('A', 'completed', 1)], [row('B', 'completed', 2)]], read));

    const lines = response.chunks.join('').trim().split('\r\n');
    expect(lines.map((l) => l.split(',')[0])).toEqual(['learner', 'A', 'B']);
    expect(read.count).toBe(2);
    expect(response.ended).toBe(true);
  });

  it('should stop reading batches when the client goes away mid-export', async () => {
    const response = fakeResponse(true);
    const read = { count: 0 };

    await sendProgressCsv(response, 'r.csv', batchesOf([[row('A', 'completed', 1)], [row('B', 'completed', 2)]], read));

    expect(read.count).toBe(1);
    expect(response.ended).toBe(false);
  });
});
