import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Role, User } from '@tms/core';

/** Everything the layout needs about the current request. */
export interface PageContext {
  readonly user: User | null;
  readonly roles: ReadonlySet<Role>;
  readonly csrfToken: string;
  readonly path: string;
}

/** apps/tms/views, found from both the TypeScript sources (tests) and the build output. */
function viewsDirectory(): string {
  for (let dir = __dirname; dir !== join(dir, '..'); dir = join(dir, '..')) {
    const candidate = join(dir, 'apps', 'tms', 'views');
    if (existsSync(join(candidate, 'layout.eta'))) return candidate;
  }
  throw new Error('apps/tms/views not found');
}

/** Server-rendered pages (Eta, HTML-escaped by default). */
@Injectable()
export class Views {
  private readonly eta = new Eta({ views: viewsDirectory(), autoEscape: true, cache: true });

  render(template: string, page: PageContext, data: Record<string, unknown> = {}): string {
    return this.eta.render(template, { ...data, page, nav: navigationFor(page) });
  }
}

export interface NavItem {
  readonly href: string;
  readonly label: string;
}

/** Each role sees its own areas. */
export function navigationFor(page: PageContext): NavItem[] {
  if (!page.user) return [];
  const items: NavItem[] = [{ href: '/', label: 'Home' }];
  if (page.roles.has('site_admin')) {
    items.push(
      { href: '/admin/organizations', label: 'Organizations' },
      { href: '/admin/people', label: 'People' },
      { href: '/admin/lti/providers', label: 'LTI' },
      { href: '/admin/audit', label: 'Audit log' },
    );
  } else if (page.user.platformAdmin) {
    items.push({ href: '/admin/lti/platform-keys', label: 'Platform keys' });
  }
  if (page.roles.has('course_author') || page.roles.has('site_admin')) {
    items.push({ href: '/author/courses', label: 'Courses' });
  }
  if (page.roles.has('instructor') || page.roles.has('site_admin')) {
    items.push({ href: '/teach/classes', label: 'Classes' });
  }
  items.push({ href: '/learn', label: 'My learning' });
  return items;
}
