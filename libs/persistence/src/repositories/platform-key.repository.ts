import { Injectable } from '@nestjs/common';
import { NewPlatformKey, PlatformKey, PlatformKeyRepository, RotationResult } from '@tms/core';
import { TransactionContext } from '../database/transaction-context';
import { PlatformKeyEntity } from '../entities';

/** Any fixed number: every process takes this transaction-scoped lock before changing key states. */
const KEY_STATE_LOCK = 7_243_002;

function toPlatformKey(entity: PlatformKeyEntity): PlatformKey {
  return {
    id: entity.id,
    kid: entity.kid,
    state: entity.state,
    publicJwk: entity.publicJwk,
    createdAt: entity.createdAt,
    activatedAt: entity.activatedAt,
    retiredAt: entity.retiredAt,
  };
}

@Injectable()
export class TypeOrmPlatformKeyRepository extends PlatformKeyRepository {
  constructor(private readonly tx: TransactionContext) {
    super();
  }

  private get repo() {
    return this.tx.repository(PlatformKeyEntity);
  }

  async listPublished(previousSince: Date): Promise<PlatformKey[]> {
    const entities = await this.repo
      .createQueryBuilder('k')
      .where(`k.state IN ('next', 'current') OR (k.state = 'previous' AND k.retired_at > :previousSince)`, {
        previousSince,
      })
      .orderBy(`CASE k.state WHEN 'next' THEN 0 WHEN 'current' THEN 1 ELSE 2 END`, 'ASC')
      .addOrderBy('k.retired_at', 'DESC')
      .getMany();
    return entities.map(toPlatformKey);
  }

  async findSigningKey(): Promise<{ key: PlatformKey; sealedPrivateKey: string } | null> {
    const entity = await this.repo.findOneBy({ state: 'current' });
    return entity && { key: toPlatformKey(entity), sealedPrivateKey: entity.privateKeySealed };
  }

  async initialize(current: NewPlatformKey, next: NewPlatformKey): Promise<boolean> {
    return this.tx.run(async () => {
      await this.tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_STATE_LOCK]);
      if (await this.repo.existsBy({ state: 'current' })) return false;
      await this.repo.delete({ state: 'next' });
      await this.repo.insert({ ...row(current), state: 'current', activatedAt: new Date() });
      await this.repo.insert({ ...row(next), state: 'next' });
      return true;
    });
  }

  async rotate(next: NewPlatformKey): Promise<RotationResult> {
    return this.tx.run(async () => {
      await this.tx.query('SELECT pg_advisory_xact_lock($1)', [KEY_STATE_LOCK]);
      const now = new Date();
      const current = await this.repo.findOneBy({ state: 'current' });
      const upcoming = await this.repo.findOneBy({ state: 'next' });
      if (!upcoming) throw new Error('No next platform key to activate');
      if (current) await this.repo.update({ id: current.id }, { state: 'previous', retiredAt: now });
      await this.repo.update({ id: upcoming.id }, { state: 'current', activatedAt: now });
      await this.repo.insert({ ...row(next), state: 'next' });
      const byId = async (id: string) => toPlatformKey(await this.repo.findOneByOrFail({ id }));
      return {
        retired: current ? await byId(current.id) : null,
        activated: await byId(upcoming.id),
        created: toPlatformKey(await this.repo.findOneByOrFail({ kid: next.kid })),
      };
    });
  }

  async deleteRetiredBefore(cutoff: Date): Promise<number> {
    const result = await this.repo
      .createQueryBuilder()
      .delete()
      .where(`state = 'previous' AND retired_at <= :cutoff`, { cutoff })
      .execute();
    return result.affected ?? 0;
  }
}

function row(key: NewPlatformKey) {
  return { kid: key.kid, publicJwk: key.publicJwk, privateKeySealed: key.sealedPrivateKey };
}
