import { DomainError, FieldProblem } from './domain-error';

/** Collects every field problem of an input, so one answer names all of them. */
export class FieldProblems {
  private readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /**
   * Runs a check that throws a field-level `validation_failed`; its problems join this collection
   * (so one answer names everything) and the result is undefined. Other errors pass through.
   */
  collect<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      this.absorb(error);
      return undefined;
    }
  }

  /** `collect` for a check that answers a promise. */
  async collectAsync<T>(check: () => Promise<T>): Promise<T | undefined> {
    try {
      return await check();
    } catch (error) {
      this.absorb(error);
      return undefined;
    }
  }

  private absorb(error: unknown): void {
    if (!(error instanceof DomainError) || error.code !== 'validation_failed' || error.fields.length === 0) throw error;
    for (const problem of error.fields) this.add(problem.field, problem.message);
  }

  get isEmpty(): boolean {
    return this.problems.length === 0;
  }

  /** Throws a `validation_failed` naming every problem; does nothing when there is none. */
  throwIfAny(): void {
    if (this.problems.length === 0) return;
    const message = this.problems.length === 1 ? this.problems[0].message : 'The request has invalid fields';
    throw new DomainError('validation_failed', message, this.problems);
  }
}
