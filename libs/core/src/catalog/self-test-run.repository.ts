/** Which self-test: the LTI 1.1 signed test launch, the LTI 1.3 checks, or an LTI 1.3 test launch. */
export type SelfTestKind = 'lti1p1_test_launch' | 'lti1p3_checks' | 'lti1p3_test_launch';

/** One run of a provider's self-test, kept for the administrators of its organization. */
export interface SelfTestRun {
  readonly id: string;
  readonly providerId: string;
  /** Who ran it; null once that account is gone. */
  readonly userId: string | null;
  readonly kind: SelfTestKind;
  readonly passed: boolean;
  readonly summary: string;
  /** What was sent and received, as the test reported it (person values redacted, size capped). */
  readonly detail: Readonly<Record<string, unknown>>;
  /** A 1.3 test launch: its launch record, shown by the launch inspector. */
  readonly launchId: string | null;
  readonly createdAt: Date;
}

export type NewSelfTestRun = Omit<SelfTestRun, 'id' | 'createdAt'>;

/** Port: self-test runs. The caller checks who may see the provider's. */
export abstract class SelfTestRunRepository {
  abstract record(run: NewSelfTestRun): Promise<SelfTestRun>;
  abstract findById(id: string): Promise<SelfTestRun | null>;
  /** The latest runs of a provider, newest first. */
  abstract listForProvider(providerId: string, limit: number): Promise<SelfTestRun[]>;
}
