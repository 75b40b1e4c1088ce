export interface Organization {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export const ORGANIZATION_NAME_MAX = 200;
