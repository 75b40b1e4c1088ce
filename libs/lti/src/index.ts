/**
 * The LTI protocol, pure: no Nest, no TypeORM. Filled by the LTI issues (1.1 launch and outcomes,
 * 1.3 launch, deep linking, services).
 */
export const LTI_LIBRARY = 'lti';
