/** How notices are delivered; provided by the app from configuration. */
export abstract class NoticeSettings {
  /** Attempts per notice before it is marked failed (the first one included). */
  abstract readonly maxAttempts: number;
  /** The wait before the second attempt; each later wait doubles. */
  abstract readonly retryBaseSeconds: number;
  /** How often each instance looks for due notices. */
  abstract readonly pollMs: number;
}

/** Exponential backoff: the wait after the `attempts`-th failed attempt. */
export function retryDelaySeconds(settings: Pick<NoticeSettings, 'retryBaseSeconds'>, attempts: number): number {
  return settings.retryBaseSeconds * 2 ** Math.max(0, attempts - 1);
}
