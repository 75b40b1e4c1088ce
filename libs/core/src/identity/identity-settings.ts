/** Plain values core needs from configuration; provided by the app. */
export abstract class IdentitySettings {
  abstract readonly sessionTtlSeconds: number;
  abstract readonly apiTokenTtlSeconds: number;
}
