import { DomainError, FieldProblem } from './domain-error';

/** Collects every field problem of an input, so one answer names all of them. */
export class FieldProblems {
  private readonly problems: FieldProblem[] = [];

  add(field: string, message: string): void {
    this.problems.push({ field, message });
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
