import { Injectable } from '@nestjs/common';
import { Eta } from 'eta';
import { completionShare, EnrollmentProgress, isOverdue, type Role, type User } from '@tms/core';
import { WebAssets } from './web-assets';

/** Everything the layout needs about the current request. */
export interface PageContext {
  readonly user: User | null;
  readonly roles: ReadonlySet<Role>;
  readonly csrfToken: string;
  readonly path: string;
}

/**
 * Server-rendered pages (Eta, HTML-escaped by default). Templates name public files through
 * `it.asset('app.css')`, which gives their fingerprinted URL (a layout sees its page's `it`).
 */
@Injectable()
export class Views {
  private readonly eta: Eta;
  private readonly asset: (name: string) => string;

  constructor(assets: WebAssets) {
    this.eta = new Eta({ views: assets.viewsDirectory, autoEscape: true, cache: true });
    this.asset = (name) => assets.url(name);
  }

  render(template: string, page: PageContext, data: Record<string, unknown> = {}): string {
    return this.eta.render(template, {
      ...data,
      page,
      nav: navigationFor(page),
      asset: this.asset,
      progress: PROGRESS,
    });
  }
}

/** What progress bars and overdue flags say of an enrollment, for every page that lists some. */
const PROGRESS = {
  share: completionShare,
  overdue: (row: EnrollmentProgress) => isOverdue(row, new Date()),
};

export interface NavItem {
  readonly href: string;
  readonly label: string;
  /** Current only on this very path (an area's home, whose pages have links of their own). */
  readonly exact?: boolean;
}

/** Each role sees its own areas. */
export function navigationFor(page: PageContext): NavItem[] {
  if (!page.user) return [];
  const items: NavItem[] = [{ href: '/', label: 'Home' }];
  if (page.roles.has('site_admin')) {
    items.push(
      { href: '/admin', label: 'Site Administration', exact: true },
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
