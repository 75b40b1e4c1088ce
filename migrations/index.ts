import { Foundation1763800000000 } from './1763800000000-Foundation';
import { Catalog1763900000000 } from './1763900000000-Catalog';
import { Learning1764000000000 } from './1764000000000-Learning';
import { Lti1p11764100000000 } from './1764100000000-Lti1p1';
import { Lti1p3Launch1764200000000 } from './1764200000000-Lti1p3Launch';
import { LtiServices1764300000000 } from './1764300000000-LtiServices';
import { AssignmentAndGrades1764400000000 } from './1764400000000-AssignmentAndGrades';
import { TenantScope1796392545337 } from './1796392545337-TenantScope';
import { SignInThrottles1796392763411 } from './1796392763411-SignInThrottles';
import { PlatformStorage1796398364340 } from './1796398364340-PlatformStorage';
import { ToolKeyState1796404459803 } from './1796404459803-ToolKeyState';
import { ScaleIndexes1796404539763 } from './1796404539763-ScaleIndexes';
import { MembershipChanges1796404605630 } from './1796404605630-MembershipChanges';
import { ProvisioningJobs1796404628917 } from './1796404628917-ProvisioningJobs';
import { DynamicRegistrations1796405260591 } from './1796405260591-DynamicRegistrations';
import { PlatformNotices1796405673721 } from './1796405673721-PlatformNotices';
import { LaunchSent1796406563364 } from './1796406563364-LaunchSent';
import { CourseCopies1796408165551 } from './1796408165551-CourseCopies';
import { Submissions1796409329800 } from './1796409329800-Submissions';
import { SubmissionReview1796409329801 } from './1796409329801-SubmissionReview';
import { SelfTestLaunches1796415745562 } from './1796415745562-SelfTestLaunches';
import { ScoreState1796416083338 } from './1796416083338-ScoreState';
import { OrganizationTreeOrder1796416215924 } from './1796416215924-OrganizationTreeOrder';
import { RefusedAuthorizations1796416329640 } from './1796416329640-RefusedAuthorizations';
import { SelfTestRuns1796417188154 } from './1796417188154-SelfTestRuns';
import { PeopleByName1796420078300 } from './1796420078300-PeopleByName';
import { CatalogByName1796427361405 } from './1796427361405-CatalogByName';
import { ProgressAsRead1796439061694 } from './1796439061694-ProgressAsRead';
import { EnrollmentProgressPlanned1796469177467 } from './1796469177467-EnrollmentProgressPlanned';
import { RosterByName1796477750947 } from './1796477750947-RosterByName';

/** Every migration, oldest first. Append only; a landed migration is never edited. */
export const MIGRATIONS = [
  Foundation1763800000000,
  Catalog1763900000000,
  Learning1764000000000,
  Lti1p11764100000000,
  Lti1p3Launch1764200000000,
  LtiServices1764300000000,
  AssignmentAndGrades1764400000000,
  TenantScope1796392545337,
  SignInThrottles1796392763411,
  PlatformStorage1796398364340,
  ToolKeyState1796404459803,
  ScaleIndexes1796404539763,
  MembershipChanges1796404605630,
  ProvisioningJobs1796404628917,
  DynamicRegistrations1796405260591,
  PlatformNotices1796405673721,
  LaunchSent1796406563364,
  CourseCopies1796408165551,
  Submissions1796409329800,
  SubmissionReview1796409329801,
  SelfTestLaunches1796415745562,
  ScoreState1796416083338,
  OrganizationTreeOrder1796416215924,
  RefusedAuthorizations1796416329640,
  SelfTestRuns1796417188154,
  PeopleByName1796420078300,
  CatalogByName1796427361405,
  ProgressAsRead1796439061694,
  EnrollmentProgressPlanned1796469177467,
  RosterByName1796477750947,
];
