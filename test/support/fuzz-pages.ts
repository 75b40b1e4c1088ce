import { BAD_IDS, deepObject, FuzzRequest, ODD_STRINGS } from './fuzz';
import { FuzzBatches } from './fuzz-api';

/** A signed-in browser as the fuzzer drives it: its cookies and the CSRF token of its forms. */
export interface Browser {
  readonly cookie: string;
  readonly csrf: string;
}

export interface PageWorld {
  readonly ids: Record<string, string>;
  readonly admin: Browser;
  /** Signed in, never signed in: a CSRF cookie and token only (for the login form). */
  readonly visitor: Browser;
  readonly learner: Browser;
  /** The learner's enrollment and an activity of it. */
  readonly enrollmentId: string;
  readonly activityId: string;
}

/** Forms that validate what they are sent (create and edit): garbage in them is refused. */
const FORMS = [
  '/admin/organizations',
  '/admin/organizations/:org',
  '/admin/people',
  '/admin/people/:user',
  '/admin/people/:user/memberships',
  '/admin/lti/providers',
  '/admin/lti/providers/:provider',
  '/admin/lti/providers/:provider/test-launch',
  '/admin/lti/providers/:provider11/test-launch',
  '/admin/lti/resource-links',
  '/admin/lti/resource-links/:link',
  '/admin/lti/registrations',
  '/admin/lti/registrations/:registration/approve',
  '/admin/lti/provisioning/imports',
  '/author/courses',
  '/author/courses/:course',
  '/author/courses/:course/activities',
  '/author/courses/:course/copy',
  '/author/courses/:course/cartridge',
  '/teach/classes',
  '/teach/classes/:class',
  '/teach/classes/:class/enrollments',
  '/teach/self-paced',
  '/teach/submissions/:enrollment/:activity/grade',
  '/teach/submissions/:enrollment/:activity/grade/clear',
];

/** Buttons that act on what their path names: with a real id and the CSRF token they just happen. */
const ACTIONS = [
  '/admin/people/:user/status',
  '/admin/people/:user/memberships/:membership/delete',
  '/admin/lti/providers/:provider/status',
  '/admin/lti/providers/:provider/key-check',
  '/admin/lti/providers/:provider/self-test',
  '/admin/lti/registrations/:registration/reject',
  '/admin/lti/providers/:provider/notices/hello-world',
  '/admin/lti/resource-links/:link/status',
  '/author/courses/:course/activities/:activity/move',
  '/admin/lti/platform-keys/rotate',
  '/admin/lti/provisioning/imports/:provisioningJob/apply',
  '/teach/classes/:class/enrollments/:enrollment/delete',
  '/teach/self-paced/:selfPaced/delete',
  '/admin/lti/providers/:provider/delete',
  '/admin/lti/resource-links/:link/delete',
  '/author/courses/:course/activities/:activity/delete',
];

const GARBAGE_FIELDS: Array<Record<string, unknown>> = [
  { name: {} },
  { title: [] },
  { email: null, name: null },
  { organizationId: 'not-a-uuid' },
  { fuzzUnknown: 'x' },
  { name: deepObject(40) },
];

/**
 * The form pages' POST routes, sign-in and the launch route: without the CSRF token, with garbage
 * JSON and form bodies, with ids that name nothing (refused); odd text in every form and the action
 * buttons with real ids (anything, the destructive ones last).
 */
export function pageRequests(world: PageWorld): FuzzBatches {
  const batches: FuzzBatches = { refused: [], anything: [], last: [] };
  const fill = (template: string, bad?: string) =>
    template.replace(/:(\w+)/g, (_, name: string) => bad ?? world.ids[name] ?? '6f1c1f3e-1d2b-4c6a-9a51-2b8f2a1c0d7e');
  const post = (label: string, path: string, browser: Browser, body: string, type: string): FuzzRequest => ({
    label,
    method: 'POST',
    path,
    headers: { cookie: browser.cookie, 'content-type': type },
    body,
  });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const json = (browser: Browser, fields: object) => JSON.stringify({ _csrf: browser.csrf, ...fields });

  for (const template of [...FORMS, ...ACTIONS, '/login', '/logout']) {
    const path = fill(template);
    batches.refused.push(
      post(`${template} without CSRF`, path, world.admin, form({ name: 'x' }), 'application/x-www-form-urlencoded'),
    );
    batches.refused.push(
      post(
        `${template} with a forged CSRF`,
        path,
        world.admin,
        form({ _csrf: 'forged', name: 'x' }),
        'application/x-www-form-urlencoded',
      ),
    );
    for (const bad of BAD_IDS.filter(() => template.includes(':'))) {
      batches.refused.push(
        post(
          `${template} at ${bad.slice(0, 20)}`,
          fill(template, bad),
          world.admin,
          form({ _csrf: world.admin.csrf }),
          'application/x-www-form-urlencoded',
        ),
      );
    }
  }
  for (const template of FORMS) {
    const path = fill(template);
    for (const fields of GARBAGE_FIELDS) {
      batches.refused.push(
        post(
          `${template} ${JSON.stringify(fields).slice(0, 40)}`,
          path,
          world.admin,
          json(world.admin, fields),
          'application/json',
        ),
      );
    }
    batches.refused.push(
      post(`${template} deep JSON`, path, world.admin, JSON.stringify(deepObject(2000)), 'application/json'),
    );
    batches.refused.push(
      post(
        `${template} name too long`,
        path,
        world.admin,
        form({ _csrf: world.admin.csrf, name: 'x'.repeat(5000), title: 'x'.repeat(5000) }),
        'application/x-www-form-urlencoded',
      ),
    );
    for (const odd of ODD_STRINGS) {
      const fields = {
        _csrf: world.admin.csrf,
        name: odd,
        title: odd,
        email: odd,
        code: odd,
        url: odd,
        launchUrl: odd,
      };
      batches.anything.push(
        post(
          `${template} odd ${odd.slice(0, 10)}`,
          path,
          world.admin,
          form(fields),
          'application/x-www-form-urlencoded',
        ),
      );
    }
  }
  for (const template of ACTIONS) {
    batches.last.push(
      post(
        `${template} acted`,
        fill(template),
        world.admin,
        form({ _csrf: world.admin.csrf, status: 'x', direction: 'x' }),
        'application/x-www-form-urlencoded',
      ),
    );
  }
  for (const fields of [
    { email: {}, password: [] },
    { email: null, password: null },
    { email: 'a@b.c', password: { $ne: '' } },
  ]) {
    batches.refused.push(
      post('/login garbage', '/login', world.visitor, json(world.visitor, fields), 'application/json'),
    );
  }
  batches.refused.push(
    post(
      '/login twice',
      '/login',
      world.visitor,
      `_csrf=${world.visitor.csrf}&email=a&email=b&password=x&password=y`,
      'application/x-www-form-urlencoded',
    ),
  );
  batches.refused.push(
    post('/login deep', '/login', world.visitor, JSON.stringify(deepObject(2000)), 'application/json'),
  );

  const launch = (e: string, a: string) => `/learn/enrollments/${e}/activities/${a}/launch`;
  batches.refused.push({
    label: 'launch as nobody',
    method: 'GET',
    path: launch(world.enrollmentId, world.activityId),
  });
  batches.refused.push({
    label: 'launch of someone else’s enrollment',
    method: 'GET',
    path: launch(world.enrollmentId, world.activityId),
    headers: { cookie: world.admin.cookie },
  });
  for (const bad of BAD_IDS) {
    for (const [e, a] of [
      [bad, world.activityId],
      [world.enrollmentId, bad],
    ]) {
      batches.refused.push({
        label: `launch ${bad.slice(0, 20)}`,
        method: 'GET',
        path: launch(e, a),
        headers: { cookie: world.learner.cookie },
      });
    }
  }
  const submissions = (e: string, a: string) => [
    `/learn/enrollments/${e}/activities/${a}/submissions`,
    `/teach/submissions/${e}/${a}`,
    `/teach/submissions/${e}/${a}/open/${world.activityId}`,
    `/teach/submissions/${e}/${a}/review`,
  ];
  for (const bad of BAD_IDS) {
    for (const path of [...submissions(bad, world.activityId), ...submissions(world.enrollmentId, bad)]) {
      batches.refused.push({
        label: `submissions ${bad.slice(0, 20)}`,
        method: 'GET',
        path,
        headers: { cookie: world.admin.cookie },
      });
    }
  }
  batches.refused.push({
    label: 'launch with a query',
    method: 'GET',
    path: `${launch(world.enrollmentId, world.activityId)}?target=${'x'.repeat(5000)}&target=y`,
    headers: { cookie: world.admin.cookie },
  });
  // A roster's and a report's pages with paging they cannot take: the first page, never a failure of ours.
  for (const path of [fill('/teach/classes/:class'), fill('/author/courses/:course/progress')]) {
    for (const query of [
      'page=abc',
      'page=0',
      'page=999999999',
      'page=1&page=2',
      'limit=100000',
      `page=${'9'.repeat(400)}`,
    ]) {
      batches.anything.push({
        label: `${path.split('/')[2]} roster page ${query.slice(0, 20)}`,
        method: 'GET',
        path: `${path}?${query}`,
        headers: { cookie: world.admin.cookie },
      });
    }
  }
  // A provider's LTI 1.3 test launch page: ids that name nothing, roles that are none, a 1.1 provider, a learner.
  const testLaunch = (provider: string, role: string) => `/admin/lti/providers/${provider}/test-launch/${role}`;
  for (const [provider, role, who] of [
    ...BAD_IDS.map((bad) => [bad, 'learner', world.admin] as const),
    ...['administrator', 'Learner', 'learner%00', '%ZZ', 'x'.repeat(3000), '..%2Flearner'].map(
      (role) => [world.ids.provider, role, world.admin] as const,
    ),
    [world.ids.provider11, 'learner', world.admin] as const,
    [world.ids.provider, 'instructor', world.learner] as const,
  ]) {
    batches.refused.push({
      label: `test launch ${String(provider).slice(0, 12)} ${role.slice(0, 12)}`,
      method: 'GET',
      path: testLaunch(provider, role),
      headers: { cookie: who.cookie },
    });
  }
  batches.anything.push({
    label: 'test launch as a learner',
    method: 'GET',
    path: testLaunch(world.ids.provider, 'learner'),
    headers: { cookie: world.admin.cookie },
  });
  // Refused authorizations and self-test runs: pages that are no page numbers, ids that name nothing.
  for (const path of [
    ...['0', '-1', 'abc', '1001', '1&page=2', 'x'.repeat(300)].map(
      (p) => `/admin/lti/refused-authorizations?page=${p}`,
    ),
    ...['0', 'abc', '99999'].map((p) => `/admin/lti/providers/${world.ids.provider}?refused=${p}`),
    ...BAD_IDS.map((bad) => `/admin/lti/refused-authorizations/${bad}`),
    ...BAD_IDS.map((bad) => `/admin/lti/self-tests/${bad}`),
  ]) {
    batches.refused.push({
      label: `refused authorizations ${path.slice(0, 60)}`,
      method: 'GET',
      path,
      headers: { cookie: world.admin.cookie },
    });
  }
  // The pickers' searches (organization and LTI provider "Choose", "Add Organizations").
  for (const path of ['/admin/organizations/search', '/admin/lti/providers/search']) {
    for (const query of ['limit=abc', 'limit=0', 'limit=51', 'q=a&q=b', `q=${'x'.repeat(300)}`, 'q=%00', 'other=1']) {
      batches.refused.push({
        label: `${path}?${query.slice(0, 20)}`,
        method: 'GET',
        path: `${path}?${query}`,
        headers: { cookie: world.admin.cookie },
      });
    }
  }
  batches.refused.push({
    label: 'provider search in a bad organization',
    method: 'GET',
    path: '/admin/lti/providers/search?organizationId=not-a-uuid',
    headers: { cookie: world.admin.cookie },
  });
  return batches;
}
