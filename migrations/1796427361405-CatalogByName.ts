import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The provider and resource-link lists page by lower-cased name (then id): with these indexes a page
 * is the first rows of an index walk, each probed against the admin's scope, not a sort of the whole
 * catalog the admin can see.
 */
export class CatalogByName1796427361405 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX lti_providers_list_order_idx ON lti_providers (lower(name), id)`);
    await queryRunner.query(`CREATE INDEX lti_resource_links_list_order_idx ON lti_resource_links (lower(name), id)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX lti_resource_links_list_order_idx`);
    await queryRunner.query(`DROP INDEX lti_providers_list_order_idx`);
  }
}
