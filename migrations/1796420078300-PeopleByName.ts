import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The people list pages by name (then id): with this index a page is the first rows of an index walk,
 * not a sort of every person the admin manages.
 */
export class PeopleByName1796420078300 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX users_name_idx ON users (name, id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX users_name_idx`);
  }
}
