/**
 * The roles a person holds per organization (DESIGN.md §2), each reaching that organization and
 * everything below it. A scope is resolved for some of them.
 */
export const ROLES = ['site_admin', 'course_author', 'instructor', 'learner'] as const;
export type Role = (typeof ROLES)[number];
