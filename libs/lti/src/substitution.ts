import type { CustomParameter } from './custom-parameters';

/**
 * Substitution variables in custom parameter values (LTI 1.1.1 Implementation Guide §A.1; LTI Core
 * 1.3 Appendix C). A value that is exactly a variable's name (`$User.id`) is replaced by its value;
 * a variable we do not know, or whose value is withheld (privacy) or absent, passes through
 * unchanged, as both specifications require.
 */
export type SubstitutionVariables = Readonly<Partial<Record<SubstitutionVariable, string | null>>>;

export const SUBSTITUTION_VARIABLES = [
  'User.id',
  'User.username',
  'Person.sourcedId',
  'Person.name.full',
  'Person.name.given',
  'Person.name.family',
  'Person.email.primary',
  'Context.id',
  'Context.type',
  'Context.label',
  'Context.title',
  'Context.id.history',
  'CourseSection.sourcedId',
  'CourseSection.label',
  'CourseSection.title',
  'CourseOffering.sourcedId',
  'CourseOffering.label',
  'CourseOffering.title',
  'Membership.role',
  'ResourceLink.id',
  'ResourceLink.title',
  'ResourceLink.description',
  'ResourceLink.id.history',
  'Result.sourcedId',
  'BasicOutcome.url',
  'ToolConsumerInstance.guid',
  'ToolPlatformInstance.guid',
] as const;
export type SubstitutionVariable = (typeof SUBSTITUTION_VARIABLES)[number];

export function substituteVariables(
  parameters: readonly CustomParameter[],
  variables: SubstitutionVariables,
): CustomParameter[] {
  return parameters.map((parameter) => {
    if (!parameter.value.startsWith('$')) return parameter;
    const value = variables[parameter.value.slice(1) as SubstitutionVariable];
    return value === undefined || value === null ? parameter : { name: parameter.name, value };
  });
}
