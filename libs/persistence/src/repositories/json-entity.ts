import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * An entity from a row PostgreSQL rendered as JSON (`to_jsonb(t)`): each column by its database
 * name, converted as TypeORM converts a column it fetched (dates, transformers). One statement can
 * so return the rows of several tables whole, for the repositories' own mappers.
 */
export function entityFromJson<E extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<E>,
  json: Readonly<Record<string, unknown>>,
): E {
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const entity = metadata.create() as E;
  for (const column of metadata.columns) {
    if (column.isVirtual || !(column.databaseName in json)) continue;
    column.setEntityValue(entity, driver.prepareHydratedValue(json[column.databaseName], column));
  }
  return entity;
}
