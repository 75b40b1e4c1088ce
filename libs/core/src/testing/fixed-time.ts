/** The instant the factories date things at, unless a spec says otherwise. */
export const FIXED_TIME = new Date('2026-04-01T12:00:00.000Z');
