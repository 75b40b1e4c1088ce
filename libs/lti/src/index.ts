/**
 * The LTI protocol, pure: no Nest, no TypeORM (DESIGN.md §1). Each module is unit-tested with
 * spec vectors; more arrive with the LTI issues (OAuth 1.0a, Basic Outcomes, 1.3 claims, …).
 */
export * from './custom-parameters';
export * from './substitution';
export * from './launch-variables';
export * from './selected-links';
export * from './tool-url';
export * from './lti1p1/oauth1';
export * from './lti1p1/lti1p1-launch';
export * from './lti1p1/basic-outcomes';
export * from './lti1p1/outcome-data';
export * from './lti1p1/content-item';
export * from './lti1p3/lti1p3-claims';
export * from './lti1p3/deep-linking';
export * from './lti1p3/lti-services';
export * from './lti1p3/pns';
export * from './lti1p3/ags';
export * from './lti1p3/submission-review';
export * from './lti1p3/tool-public-key';
export * from './lti1p3/platform-configuration';
export * from './lti1p3/dynamic-registration';
export * from './lti1p3/claim-rules';
export * from './cartridge/cartridge-format';
export * from './cartridge/cartridge-zip';
export { XmlRefused } from './cartridge/xml-tree';
