import { CustomParameter, lti1p1CustomParameterName } from './custom-parameters';
import { substituteVariables, SubstitutionVariables } from './substitution';

/**
 * The parameters of an LTI 1.1 basic launch (LTI 1.1.1 Implementation Guide §3 and §B.1; the
 * consumer certification checks each of them). Everything about the person is already limited to
 * what the provider's privacy setting allows: a field that is null is not sent at all.
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

export interface Lti1p1LaunchInput {
  readonly resourceLink: { readonly id: string; readonly title: string; readonly description: string | null };
  readonly userId: string;
  /** LIS context roles in the short form (`Learner`, `Instructor`) or full `urn:lti:…` URNs. */
  readonly roles: readonly string[];
  readonly person: LaunchPerson;
  readonly context: LaunchContextParams;
  /** Provider and link parameters, already merged (the link's override), not yet substituted. */
  readonly customParameters: readonly CustomParameter[];
  readonly presentation: LaunchPresentationParams;
  readonly toolConsumer: ToolConsumerInfo;
  /** Only for placements that take a score (§6: the tool grades only when these are present). */
  readonly outcome: { readonly serviceUrl: string; readonly sourcedId: string } | null;
}

export const LTI1P1_MESSAGE_TYPES = {
  basicLaunch: 'basic-lti-launch-request',
  contentItemSelectionRequest: 'ContentItemSelectionRequest',
  contentItemSelection: 'ContentItemSelection',
} as const;
export const LTI1P1_VERSION = 'LTI-1p0';

/** The unsigned form fields; `signOAuthForm` adds the `oauth_*` ones. */
export function lti1p1LaunchParams(input: Lti1p1LaunchInput): Record<string, string> {
  const { person, context, presentation, toolConsumer, outcome } = input;
  const params: Record<string, string | null> = {
    lti_message_type: LTI1P1_MESSAGE_TYPES.basicLaunch,
    lti_version: LTI1P1_VERSION,
    resource_link_id: input.resourceLink.id,
    resource_link_title: input.resourceLink.title,
    resource_link_description: input.resourceLink.description,
    user_id: input.userId,
    roles: input.roles.join(','),
    lis_person_name_full: person.fullName,
    lis_person_name_given: person.givenName,
    lis_person_name_family: person.familyName,
    lis_person_contact_email_primary: person.email,
    lis_person_sourcedid: person.sourcedId,
    context_id: context.id,
    context_type: context.type,
    context_label: context.label,
    context_title: context.title,
    launch_presentation_document_target: presentation.documentTarget,
    launch_presentation_width: presentation.width === null ? null : String(presentation.width),
    launch_presentation_height: presentation.height === null ? null : String(presentation.height),
    launch_presentation_locale: presentation.locale,
    launch_presentation_return_url: presentation.returnUrl,
    tool_consumer_instance_guid: toolConsumer.instanceGuid,
    tool_consumer_instance_name: toolConsumer.instanceName,
    tool_consumer_info_product_family_code: toolConsumer.productFamilyCode,
    tool_consumer_info_version: toolConsumer.version,
    lis_outcome_service_url: outcome?.serviceUrl ?? null,
    lis_result_sourcedid: outcome?.sourcedId ?? null,
  };
  for (const parameter of substituteVariables(input.customParameters, launchVariables(input))) {
    params[lti1p1CustomParameterName(parameter.name)] = parameter.value;
  }
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null));
}

/** The values substitution variables resolve to in this launch (null: withheld, left unsubstituted). */
export function launchVariables(
  input: Pick<
    Lti1p1LaunchInput,
    'userId' | 'roles' | 'person' | 'context' | 'resourceLink' | 'toolConsumer' | 'outcome'
  >,
): SubstitutionVariables {
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
    'Result.sourcedId': input.outcome?.sourcedId ?? null,
    'BasicOutcome.url': input.outcome?.serviceUrl ?? null,
    'ToolConsumerInstance.guid': input.toolConsumer.instanceGuid,
    'ToolPlatformInstance.guid': input.toolConsumer.instanceGuid,
  };
}
