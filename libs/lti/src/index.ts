/**
 * The LTI protocol, pure: no Nest, no TypeORM (DESIGN.md §1). Each module is unit-tested with
 * spec vectors; more arrive with the LTI issues (OAuth 1.0a, Basic Outcomes, 1.3 claims, …).
 */
export * from './custom-parameters';
export * from './tool-url';
export * from './tool-public-key';
export * from './platform-endpoints';
export * from './oauth1';
export * from './substitution';
export * from './lti1p1-launch';
export * from './basic-outcomes';
export * from './content-item';
export * from './lti1p3-claims';
export * from './deep-linking';
export * from './lti-services';
export * from './ags';
