import { CustomParameter, lti1p1CustomParameterName } from '../custom-parameters';
import { launchVariables, LaunchPresentationParams, LaunchVariablesInput } from '../launch-variables';
import { substituteVariables } from '../substitution';
import { OUTCOME_DATA_ACCEPTED, OUTCOME_DATA_ACCEPTED_PARAM } from './outcome-data';

/**
 * The parameters of an LTI 1.1 basic launch (LTI 1.1.1 Implementation Guide §3 and §B.1; the
 * consumer certification checks each of them).
 */
export interface Lti1p1LaunchInput extends LaunchVariablesInput {
  /** Provider and link parameters, already merged (the link's override), not yet substituted. */
  readonly customParameters: readonly CustomParameter[];
  readonly presentation: LaunchPresentationParams;
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
    // Only where a score can be written is there a result to attach outcome data to.
    [OUTCOME_DATA_ACCEPTED_PARAM]: outcome ? OUTCOME_DATA_ACCEPTED.join(',') : null,
  };
  for (const parameter of substituteVariables(input.customParameters, launchVariables(input))) {
    params[lti1p1CustomParameterName(parameter.name)] = parameter.value;
  }
  return Object.fromEntries(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== null));
}
