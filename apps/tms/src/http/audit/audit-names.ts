import { Injectable } from '@nestjs/common';
import {
  AuditEvent,
  DomainError,
  LtiProvidersService,
  LtiResourceLinksService,
  OrganizationNode,
  Principal,
  UsersService,
} from '@tms/core';

/**
 * The names the audit log shows instead of ids: organizations from the managed tree, the entities of
 * the listed events from their services (what the person may see), and, for what is gone, the name
 * the event's own snapshot holds. Ids stay on hover and in the API.
 */
@Injectable()
export class AuditNames {
  constructor(
    private readonly providers: LtiProvidersService,
    private readonly links: LtiResourceLinksService,
    private readonly users: UsersService,
  ) {}

  async of(
    principal: Principal,
    events: readonly AuditEvent[],
    tree: readonly OrganizationNode[],
  ): Promise<Map<string, string>> {
    const names = new Map(tree.map((o) => [o.id, o.name]));
    for (const event of events) {
      const own = snapshotName(event);
      if (own && !names.has(event.entityId)) names.set(event.entityId, own);
    }
    const lookups: Record<string, (id: string) => Promise<string>> = {
      lti_provider: async (id) => (await this.providers.get(principal, id)).name,
      lti_resource_link: async (id) => (await this.links.get(principal, id)).name,
      user: async (id) => (await this.users.get(principal, id)).name,
    };
    const wanted = new Map(events.filter((e) => lookups[e.entityType]).map((e) => [e.entityId, e.entityType]));
    for (const [id, type] of wanted) {
      const name = await lookups[type](id).catch((error: unknown) => {
        if (error instanceof DomainError && (error.code === 'not_found' || error.code === 'forbidden')) return null;
        throw error;
      });
      if (name) names.set(id, name);
    }
    return names;
  }
}

function snapshotName(event: AuditEvent): string | null {
  for (const snapshot of [event.after, event.before]) {
    const value = snapshot?.name ?? snapshot?.title;
    if (typeof value === 'string') return value;
  }
  return null;
}
