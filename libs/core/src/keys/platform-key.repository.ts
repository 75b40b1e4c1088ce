import { NewPlatformKey, PlatformKey, RotationResult } from './platform-key';

/** Port: platform keys. Every method that changes states runs under one exclusive lock. */
export abstract class PlatformKeyRepository {
  /** next, current, and every previous key retired after `previousSince`; newest first. */
  abstract listPublished(previousSince: Date): Promise<PlatformKey[]>;
  abstract findSigningKey(): Promise<{ key: PlatformKey; sealedPrivateKey: string } | null>;
  /** Creates current and next when there is no current key; false when another process already had. */
  abstract initialize(current: NewPlatformKey, next: NewPlatformKey): Promise<boolean>;
  /** current → previous, next → current, `next` inserted as the new next. */
  abstract rotate(next: NewPlatformKey): Promise<RotationResult>;
  abstract deleteRetiredBefore(cutoff: Date): Promise<number>;
}
