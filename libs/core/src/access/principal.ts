/** Who is acting. Always taken from the authenticated context, never from a request body. */
export interface Principal {
  readonly userId: string;
  /**
   * Set when the person's session came from this process's cache instead of the database: the
   * statement that acts for them must confirm it (still live, at this version) or refuse with
   * {@link KeptSessionChanged}, and the caller decides again on the session read fresh.
   */
  readonly session?: SessionCheck;
}

/** A session as this process kept it: the SHA-256 of its token and the version of what was read with it. */
export interface SessionCheck {
  readonly tokenHash: Buffer;
  readonly version: string;
}

/**
 * A statement found the kept session of its principal no longer live at the version kept (signed out,
 * expired, or the person or their roles changed, possibly in another process) and did nothing.
 */
export class KeptSessionChanged extends Error {
  constructor() {
    super('The session kept by this process changed in the database');
    this.name = 'KeptSessionChanged';
  }
}
