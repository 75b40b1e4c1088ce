/**
 * The LTI protocol, pure: no Nest, no TypeORM (DESIGN.md §1). Its modules arrive with the LTI
 * issues: 1.1 launch parameters and OAuth 1.0a, Basic Outcomes, Content-Item, 1.3 login and
 * id_token claims, Deep Linking, AGS/NRPS payloads, variable substitution.
 */
export {};
