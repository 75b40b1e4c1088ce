import { LtiVersion } from '../catalog/lti-provider';
import { LaunchProgressChange } from '../grading/launch-progress';
import { LaunchKind } from './launch-context.service';
import { PresentationPath } from './launch-presentation';
import { LaunchSent } from './launch-sent';

/** One launch (DESIGN.md §2): who launched what, with which version, roles and person fields. */
export interface LaunchRecord {
  readonly id: string;
  readonly userId: string;
  readonly enrollmentId: string | null;
  readonly activityId: string | null;
  /** Null only for a provider's test launch (`self_test`), which no placement starts. */
  readonly resourceLinkId: string | null;
  readonly providerId: string;
  readonly ltiVersion: LtiVersion;
  readonly kind: LaunchKind;
  readonly roles: readonly string[];
  readonly piiSent: readonly string[];
  /** How the tool was shown; null for launches recorded before this was kept. */
  readonly presentationPath: PresentationPath | null;
  /** What was sent, personal values redacted (launch-sent.ts); null for launches recorded before it was kept. */
  readonly sent: LaunchSent | null;
  readonly createdAt: Date;
}

export type NewLaunchRecord = Omit<LaunchRecord, 'createdAt'>;

export abstract class LaunchRepository {
  abstract record(launch: NewLaunchRecord): Promise<void>;
  /**
   * Records the launch and its change of progress (and of the course's completion) in one statement,
   * only while the enrollment's progress is still the one the change was decided from, under the
   * enrollment's lock. False when it changed since: nothing was written. Outside a transaction only.
   */
  abstract recordAsRead(launch: NewLaunchRecord, change: LaunchProgressChange): Promise<boolean>;
  abstract findById(id: string): Promise<LaunchRecord | null>;
  /** The latest launches of a provider, newest first (the caller checked who may see them). */
  abstract listForProvider(providerId: string, limit: number): Promise<LaunchRecord[]>;
}
