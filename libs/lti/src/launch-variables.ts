import { SubstitutionVariables } from './substitution';

/**
 * What a launch says about the person, in either LTI version (LTI 1.1.1 Implementation Guide §3
 * `lis_person_*`; LTI Core 1.3 §5.3.6 and OIDC Core §5.1 claims). Everything about the person is
 * already limited to what the provider's privacy setting allows: a field that is null is not sent.
 */
export interface LaunchPerson {
  readonly fullName: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly email: string | null;
  /** `lis_person_sourcedid`: the SIS id. */
  readonly sourcedId: string | null;
  /** `$User.username`: the login id. */
  readonly username: string | null;
}

export interface LaunchContextParams {
  readonly id: string;
  readonly label: string;
  readonly title: string;
  readonly type: 'CourseSection' | 'CourseOffering';
  /** The ids of the contexts this one was copied from, most recent first (empty: not a copy). */
  readonly idHistory?: readonly string[];
}

/** A placement as a launch names it; `idHistory` as for the context. */
export interface LaunchResourceLinkParams {
  readonly id: string;
  readonly title: string;
  readonly description: string | null;
  readonly idHistory?: readonly string[];
}

export interface ToolConsumerInfo {
  /** Stable and unique per platform instance (the public host). */
  readonly instanceGuid: string;
  readonly instanceName: string;
  readonly productFamilyCode: string;
  readonly version: string;
}

/** Where and how the tool shows, and where it sends the person back (1.1 `launch_presentation_*`, 1.3 claim). */
export interface LaunchPresentationParams {
  readonly documentTarget: 'iframe' | 'window';
  readonly width: number | null;
  readonly height: number | null;
  readonly locale: string;
  readonly returnUrl: string;
}

/** What substitution variables are resolved from (LTI 1.1.1 §A.1; LTI Core 1.3 Appendix C). */
export interface LaunchVariablesInput {
  readonly userId: string;
  /** LIS context roles in the short form (`Learner`, `Instructor`), full `urn:lti:…` URNs or LIS v2 URIs. */
  readonly roles: readonly string[];
  readonly person: LaunchPerson;
  readonly context: LaunchContextParams;
  readonly resourceLink: LaunchResourceLinkParams;
  readonly toolConsumer: ToolConsumerInfo;
  /** LTI 1.1 Basic Outcomes of a placement that takes a score; null otherwise (and in LTI 1.3). */
  readonly outcome: { readonly serviceUrl: string; readonly sourcedId: string } | null;
}

/** The values substitution variables resolve to in this launch (null: withheld, left unsubstituted). */
export function launchVariables(input: LaunchVariablesInput): SubstitutionVariables {
  const { person, context } = input;
  const section = context.type === 'CourseSection';
  return {
    'User.id': input.userId,
    'User.username': person.username,
    'Person.sourcedId': person.sourcedId,
    'Person.name.full': person.fullName,
    'Person.name.given': person.givenName,
    'Person.name.family': person.familyName,
    'Person.email.primary': person.email,
    'Context.id': context.id,
    'Context.type': context.type,
    'Context.label': context.label,
    'Context.title': context.title,
    'CourseSection.sourcedId': section ? context.id : null,
    'CourseSection.label': section ? context.label : null,
    'CourseSection.title': section ? context.title : null,
    'CourseOffering.sourcedId': section ? null : context.id,
    'CourseOffering.label': section ? null : context.label,
    'CourseOffering.title': section ? null : context.title,
    'Membership.role': input.roles.join(','),
    'ResourceLink.id': input.resourceLink.id,
    'ResourceLink.title': input.resourceLink.title,
    'ResourceLink.description': input.resourceLink.description,
    'ResourceLink.id.history': historyValue(input.resourceLink.idHistory),
    'Context.id.history': historyValue(context.idHistory),
    'Result.sourcedId': input.outcome?.sourcedId ?? null,
    'BasicOutcome.url': input.outcome?.serviceUrl ?? null,
    'ToolConsumerInstance.guid': input.toolConsumer.instanceGuid,
    'ToolPlatformInstance.guid': input.toolConsumer.instanceGuid,
  };
}

/**
 * `$Context.id.history` and `$ResourceLink.id.history` (LTI Core 1.3 Appendix C): a comma-separated
 * list of URL-encoded ids of the copies this one came from, the most recent first, and an empty value
 * for something that is not a copy. Unknown (a message without such a thing): left unsubstituted.
 */
export function historyValue(ids: readonly string[] | undefined): string | null {
  return ids === undefined ? null : ids.map(encodeURIComponent).join(',');
}
