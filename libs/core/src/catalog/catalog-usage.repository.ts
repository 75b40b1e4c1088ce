/** Port: how course activities use the catalog (what a deletion would remove). */
export abstract class CatalogUsageRepository {
  abstract countActivitiesOfLink(resourceLinkId: string): Promise<number>;
  abstract countActivitiesOfProvider(providerId: string): Promise<number>;
}
