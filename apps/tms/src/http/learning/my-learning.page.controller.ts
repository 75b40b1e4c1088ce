import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  completionShare,
  EnrollmentProgress,
  hasClassEnded,
  isOverdue,
  LaunchPresentations,
  Principal,
  ProgressService,
} from '@tms/core';
import { CurrentPrincipal, Page } from '../shared/decorators';
import { UuidPipe } from '../shared/uuid.pipe';
import { PageContext, Views } from '../shared/views';
import { ENROLLMENT_STATUS_LABELS, isoDate, PROGRESS_LABELS } from './learning-forms';
import { launchLink, launchPaths } from '../launch/launch-paths';
import { submissionPaths } from '../grading/submission-paths';
import { Transport } from '../errors/transport';
import { sendPage } from '../shared/page-crud';

/** One line of "My learning". */
export interface LearningSummary {
  readonly enrollmentId: string;
  readonly courseTitle: string;
  /** The class title, or "Self-paced". */
  readonly offering: string;
  readonly status: string;
  readonly dueOn: string;
  readonly endedOn: string;
  readonly requiredTotal: number;
  readonly requiredCompleted: number;
  readonly courseComplete: boolean;
  /** Share of the required activities complete (0..1), for its progress bar. */
  readonly share: number;
  /** A self-paced assignment past its due date, not complete. */
  readonly overdue: boolean;
  /** Its class has ended: it is history, even while the enrollment stays active. */
  readonly classEnded: boolean;
}

export function toLearningSummary(item: EnrollmentProgress, now = new Date()): LearningSummary {
  const required = item.activities.filter(({ activity }) => activity.required);
  return {
    enrollmentId: item.enrollment.id,
    courseTitle: item.course.title,
    offering: item.courseClass ? item.courseClass.title : 'Self-paced',
    status: item.enrollment.status,
    dueOn: isoDate(item.enrollment.dueAt),
    endedOn: isoDate(item.enrollment.endedAt),
    requiredTotal: required.length,
    requiredCompleted: required.filter(({ progress }) => progress.status === 'completed').length,
    courseComplete: item.courseComplete,
    share: completionShare(item),
    overdue: isOverdue(item, now),
    classEnded: item.courseClass !== null && hasClassEnded(item.courseClass, now),
  };
}

/** "My learning": everyone's own classes and self-paced courses, with progress. */
@ApiExcludeController()
@Transport('page')
@Controller('learn')
export class MyLearningPageController {
  constructor(
    private readonly progress: ProgressService,
    private readonly presentations: LaunchPresentations,
    private readonly views: Views,
  ) {}

  @Get()
  async list(@Page() page: PageContext, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const all = (await this.progress.myLearning(principal)).map((item) => toLearningSummary(item));
    sendPage(
      response,
      this.views.render('learn/list', page, {
        current: all.filter((s) => s.status === 'active' && !s.classEnded),
        history: all.filter((s) => s.status !== 'active' || s.classEnded),
        enrollmentLabels: ENROLLMENT_STATUS_LABELS,
      }),
    );
  }

  /** One enrollment's course: its learner (or staff of its organization) only; anyone else gets 404. */
  @Get('enrollments/:enrollmentId')
  async show(
    @Page() page: PageContext,
    @CurrentPrincipal() principal: Principal,
    @Param('enrollmentId', UuidPipe) enrollmentId: string,
    @Res() response: Response,
  ) {
    const item = await this.progress.ofEnrollment(principal, enrollmentId);
    // Staff may look at someone's progress, but only the learner launches, while enrolled and the class runs.
    const classEnded = item.courseClass !== null && hasClassEnded(item.courseClass, new Date());
    const own = item.enrollment.userId === principal.userId;
    const canLaunch = item.enrollment.status === 'active' && own && !(classEnded && item.enrollment.role === 'learner');
    const targets = canLaunch ? await this.presentations.of(item.activities.map(({ activity }) => activity)) : null;
    sendPage(
      response,
      this.views.render('learn/enrollment', page, {
        item,
        summary: toLearningSummary(item),
        activities: item.activities.map(({ activity, progress }) => ({
          id: activity.id,
          title: activity.title,
          required: activity.required,
          status: progress.status,
          statusLabel: PROGRESS_LABELS[progress.status],
          scorePercent: progress.scorePercent,
          launch: targets && launchLink(launchPaths.learner(enrollmentId, activity.id), targets.get(activity.id)),
          // The learner's own attempts; staff open them from the roster or the score ledger.
          submissionsHref:
            own && item.enrollment.role === 'learner' ? submissionPaths.learner(enrollmentId, activity.id) : null,
        })),
        enrollmentLabels: ENROLLMENT_STATUS_LABELS,
        classEndedOn: classEnded ? item.courseClass!.endsOn : null,
      }),
    );
  }
}
