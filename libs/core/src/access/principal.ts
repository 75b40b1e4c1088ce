/** Who is acting. Always taken from the authenticated context, never from a request body. */
export interface Principal {
  readonly userId: string;
}
