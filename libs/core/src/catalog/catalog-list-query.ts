import { PageRequest } from '../shared/page';
import { CatalogStatus } from './lti-provider';

/**
 * Catalog lists show what the scope sees: entries owned by an organization it covers, and entries
 * available somewhere it covers (availability reaches down the tree, so an entry available at an
 * ancestor of a covered organization is available there too).
 */
export interface CatalogListQuery extends PageRequest {
  readonly organizationId?: string;
  readonly status?: CatalogStatus;
  readonly search?: string;
}
