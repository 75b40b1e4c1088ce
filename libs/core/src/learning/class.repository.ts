import type { TenantScope } from '../access/tenant-scope';
import { Page, PageRequest } from '../shared/page';
import { CourseClass } from './learning';

export interface ClassListQuery extends PageRequest {
  readonly courseId?: string;
  readonly search?: string;
}

export type ClassInput = Pick<CourseClass, 'courseId' | 'organizationId' | 'title' | 'code' | 'startsOn' | 'endsOn'>;

/** Port: classes. Writes need a class (or target organization) the scope covers (`not_found` otherwise). */
export abstract class ClassRepository {
  /** Unscoped: the class of an enrollment, a launch or a tool's context already in hand. */
  abstract findById(id: string): Promise<CourseClass | null>;
  /** Unscoped: the classes of some enrollments already read in scope (a roster page). */
  abstract findByIds(ids: readonly string[]): Promise<CourseClass[]>;
  abstract findInScope(scope: TenantScope, id: string): Promise<CourseClass | null>;
  abstract list(scope: TenantScope, query: ClassListQuery): Promise<Page<CourseClass>>;
  abstract create(scope: TenantScope, input: ClassInput): Promise<CourseClass>;
  abstract update(scope: TenantScope, id: string, changes: Partial<Omit<ClassInput, 'courseId'>>): Promise<CourseClass>;
}
