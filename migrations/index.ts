import { Foundation1763800000000 } from './1763800000000-Foundation';

/** Every migration, oldest first. Append only; a landed migration is never edited. */
export const MIGRATIONS = [Foundation1763800000000];
