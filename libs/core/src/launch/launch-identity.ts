import type { LaunchPerson } from '@tms/lti';
import { ltiUserIdOf, ProviderPrivacy } from '../catalog/lti-provider';
import { DomainError } from '../errors/domain-error';
import { ToolFacingPerson, User } from '../identity/user';
import { testInstructorId, testLearnerId } from './test-learner';

/** The person as one tool sees them: the user id of the provider's choice and only the PII it may have. */
export interface LaunchIdentity {
  readonly userId: string;
  readonly person: LaunchPerson;
  /** Names of the person fields sent, for the launch record. */
  readonly piiSent: readonly string[];
}

const NOBODY: LaunchPerson = {
  fullName: null,
  givenName: null,
  familyName: null,
  email: null,
  sourcedId: null,
  username: null,
};

/**
 * Applies the provider's privacy setting. The user id stays the same for the same person and tool
 * every time (LTI 1.1.1 §3 `user_id`; LTI Core 1.3 §5.3.6 `sub`), so a person without the chosen
 * identifier cannot launch rather than arrive as someone new.
 */
export function launchIdentity(user: ToolFacingPerson, privacy: ProviderPrivacy): LaunchIdentity {
  const userId = ltiUserIdOf(user, privacy);
  if (!userId) {
    const missing = privacy.userIdSource === 'sis_id' ? 'an SIS id' : 'a login id';
    throw new DomainError(
      'forbidden',
      `This tool identifies people by ${missing}, and your account has none. Ask an administrator to add it.`,
    );
  }
  const names = privacy.level === 'public' || privacy.level === 'name_only';
  const email = privacy.level === 'public' || privacy.level === 'email_only';
  const full = privacy.level === 'public';
  const person: LaunchPerson = {
    fullName: names ? user.name : null,
    givenName: names ? user.givenName : null,
    familyName: names ? user.familyName : null,
    email: email ? user.email : null,
    sourcedId: full ? user.sisId : null,
    username: full ? user.loginId : null,
  };
  return { userId, person, piiSent: sentFields(person) };
}

/** A previewing author appears as a test learner of their own, never as themselves. */
export function previewIdentity(user: User, privacy: ProviderPrivacy): LaunchIdentity {
  const names = privacy.level === 'public' || privacy.level === 'name_only';
  const person: LaunchPerson = names
    ? { ...NOBODY, fullName: 'Test Learner', givenName: 'Test', familyName: 'Learner' }
    : NOBODY;
  return { userId: testLearnerId(user.id), person, piiSent: sentFields(person) };
}

/**
 * A provider's test launch: the test learner of the preview, or a test instructor of the same
 * administrator; named only where the provider's privacy sends names.
 */
export function selfTestIdentity(user: User, privacy: ProviderPrivacy, role: 'learner' | 'instructor'): LaunchIdentity {
  if (role === 'learner') return previewIdentity(user, privacy);
  const names = privacy.level === 'public' || privacy.level === 'name_only';
  const person: LaunchPerson = names
    ? { ...NOBODY, fullName: 'Test Instructor', givenName: 'Test', familyName: 'Instructor' }
    : NOBODY;
  return { userId: testInstructorId(user.id), person, piiSent: sentFields(person) };
}

function sentFields(person: LaunchPerson): string[] {
  return Object.entries(person)
    .filter(([, value]) => value !== null)
    .map(([field]) => field);
}
