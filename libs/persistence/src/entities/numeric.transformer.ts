/** PostgreSQL numeric arrives from pg as a string (to keep its precision); the domain wants a number. */
export const numericColumn = {
  to: (value: number | null) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
