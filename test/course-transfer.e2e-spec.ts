import { ApiClient, createPerson } from './support/api-client';
import { standInPublicKeyPem } from './support/lti1p3-tool';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, TestApp } from './support/test-app';
import { validateCartridgeFile, validateCartridgeManifest } from './support/cartridge-schemas';
import { basicLtiLink, manifest, unzip, zipOf } from './support/cartridge-archives';

const SECRET = 'cartridge-shared-secret-never-exported';
const ZIP = 'application/vnd.ims.imscc+zip';

/**
 * Course copy through the API, and Common Cartridge export and import: the cartridge read back with
 * yauzl and checked against the IMS schemas, a round trip into another organization, and hostile
 * archives refused with nothing written.
 */
describe('Course copy and Common Cartridge through the API', () => {
  let testApp: TestApp;
  let root: ApiClient;
  let author: ApiClient;
  let orgA: string;
  let orgB: string;
  let provider11: string;
  let provider13Id: string;
  let sourceId: string;
  const activityTitles = ['Week 1 quiz (1.1)', 'Spring-only lab', 'Week 2 simulation (1.3)'];

  const counts = async () =>
    (
      await testApp.dataSource.query(
        `SELECT (SELECT count(*) FROM courses)::int AS courses, (SELECT count(*) FROM course_activities)::int AS activities,
                (SELECT count(*) FROM lti_resource_links)::int AS links`,
      )
    )[0];

  /** POSTs the archive's bytes as the body (ApiClient sends JSON). */
  const post = async (client: ApiClient, path: string, archive: Buffer) => {
    const response = await fetch(testApp.baseUrl + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.token}`, 'content-type': ZIP },
      body: new Uint8Array(archive),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };

  beforeAll(async () => {
    testApp = await startTestApp();
    root = await ApiClient.signIn(testApp.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD);
    const top = (await root.post('/api/v1/organizations', { name: 'Transfers' })).body.id;
    orgA = (await root.post('/api/v1/organizations', { name: 'Campus A', parentId: top })).body.id;
    orgB = (await root.post('/api/v1/organizations', { name: 'Campus B', parentId: top })).body.id;
    provider11 = (
      await root.post('/api/v1/lti/providers', {
        name: 'Quiz tool',
        organizationId: top,
        ltiVersion: '1.1',
        consumerKey: 'transfer-key',
        sharedSecret: SECRET,
        customParameters: 'tool_level=provider',
        availableOrganizationIds: [top],
      })
    ).body.id;
    const provider13 = await root.post('/api/v1/lti/providers', {
      name: 'Simulation tool',
      organizationId: top,
      ltiVersion: '1.3',
      loginUrl: 'https://sim.example.com/login',
      redirectUris: ['https://sim.example.com/launch'],
      targetLinkUri: 'https://sim.example.com/launch',
      publicKeyPem: standInPublicKeyPem(),
      services: ['notices'],
      availableOrganizationIds: [top],
    });
    expect(provider13.status).toBe(201);
    // The tool's notice handler, as its registration through the Platform Notification Service leaves it.
    await testApp.dataSource.query(
      `INSERT INTO notice_handlers (provider_id, notice_type, handler) VALUES ($1, 'LtiContextCopyNotice', $2)`,
      [provider13.body.id, 'http://127.0.0.1:9/notices'],
    );
    provider13Id = provider13.body.id;
    const link = async (name: string, providerId: string, url: string, availableIn: string, extra = {}) =>
      (
        await root.post('/api/v1/lti/resource-links', {
          name,
          organizationId: top,
          providerId,
          url,
          requiresScoreForCompletion: false,
          availableOrganizationIds: [availableIn],
          ...extra,
        })
      ).body.id as string;
    const links = [
      await link('Quiz', provider11, 'https://quiz.example.com/launch?unit=1', top),
      await link('Lab', provider11, 'https://quiz.example.com/lab', orgA, {
        customParameters: 'chapter=3',
        requiresScoreForCompletion: true,
        passingScore: 60,
      }),
      await link('Simulation', provider13.body.id, 'https://sim.example.com/launch/week-2', top),
    ];
    author = (
      await createPerson(root, { email: 'transfer-author@example.com', organizationId: top, role: 'course_author' })
    ).client;
    sourceId = (await author.post('/api/v1/courses', { title: 'Safety & <Health>', organizationId: orgA })).body.id;
    for (const [index, resourceLinkId] of links.entries()) {
      const placed = await author.post(`/api/v1/courses/${sourceId}/activities`, {
        resourceLinkId,
        title: activityTitles[index],
        required: index !== 1,
      });
      expect(placed.status).toBe(201);
    }
  }, 120_000);

  afterAll(async () => {
    await testApp?.close();
  });

  describe('course copy', () => {
    it('should answer 201 with the copy, its history and the activity left out when copying into another organization', async () => {
      const copied = await author.post(`/api/v1/courses/${sourceId}/copy`, { organizationId: orgB, code: 'SH-B' });

      expect(copied.status).toBe(201);
      expect(copied.body).toMatchObject({
        organizationId: orgB,
        title: 'Safety & <Health>',
        code: 'SH-B',
        sourceCourseId: sourceId,
        contextIdHistory: [`${sourceId}:self-paced`],
      });
      expect(copied.body.activities.map((a: { title: string }) => a.title)).toEqual([
        activityTitles[0],
        activityTitles[2],
      ]);
      expect(copied.body.skippedActivities).toEqual([
        expect.objectContaining({ title: 'Spring-only lab', reason: 'link_withdrawn' }),
      ]);
      const source = (await author.get(`/api/v1/courses/${sourceId}`)).body;
      expect(copied.body.activities[0].resourceLinkIdHistory).toEqual([source.activities[0].ltiResourceLinkId]);
      expect(copied.body.activities[0].ltiResourceLinkId).not.toBe(source.activities[0].ltiResourceLinkId);
      // The 1.3 tool asked for context copy notices: one is queued, naming the new context and its origin.
      const notices = await testApp.dataSource.query(
        `SELECT provider_id, notice_type, claims FROM notice_deliveries WHERE notice_type = 'LtiContextCopyNotice'`,
      );
      expect(notices).toEqual([
        expect.objectContaining({
          provider_id: provider13Id,
          claims: expect.objectContaining({
            'https://purl.imsglobal.org/spec/lti/claim/context': expect.objectContaining({
              id: `${copied.body.id}:self-paced`,
            }),
            'https://purl.imsglobal.org/spec/lti/claim/origin_contexts': [`${sourceId}:self-paced`],
          }),
        }),
      ]);
    });

    it.each([
      ['a malformed organization id', { organizationId: 'nope' }, 'organizationId'],
      ['an empty title', { organizationId: '00000000-0000-4000-8000-000000000000', title: '' }, 'title'],
      [
        'an unknown field',
        { organizationId: '00000000-0000-4000-8000-000000000000', sourceCourseId: 'x' },
        'sourceCourseId',
      ],
    ])('should refuse %s with 400 and write nothing', async (_label, body, field) => {
      const before = await counts();
      const refused = await author.post(`/api/v1/courses/${sourceId}/copy`, body);
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(refused.body)).toContain(field);
      expect(await counts()).toEqual(before);
    });

    it('should answer 404 and write nothing when the course is outside the caller’s organizations', async () => {
      const outsider = await createPerson(root, {
        email: 'transfer-outsider@example.com',
        organizationId: orgB,
        role: 'course_author',
      });
      const before = await counts();
      const refused = await outsider.client.post(`/api/v1/courses/${sourceId}/copy`, { organizationId: orgB });
      expect(refused.status).toBe(404);
      expect(await counts()).toEqual(before);
    });
  });

  describe('Common Cartridge', () => {
    let archive: Buffer;
    let files: Map<string, string>;

    beforeAll(async () => {
      const response = await fetch(`${testApp.baseUrl}/api/v1/courses/${sourceId}/cartridge`, {
        headers: { authorization: `Bearer ${author.token}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain(ZIP);
      expect(response.headers.get('content-disposition')).toContain('.imscc');
      archive = Buffer.from(await response.arrayBuffer());
      files = await unzip(archive);
    });

    it('should export a manifest whose organization keeps the activity order, one Basic LTI link each, no secret', async () => {
      const xml = files.get('imsmanifest.xml')!;
      expect(xml).toContain('<schemaversion>1.3.0</schemaversion>');
      const titles = [...xml.matchAll(/<item identifier="[^"]+" identifierref="[^"]+"><title>([^<]*)<\/title>/g)].map(
        (m) => m[1],
      );
      expect(titles).toEqual(['Week 1 quiz (1.1)', 'Spring-only lab', 'Week 2 simulation (1.3)']);
      expect([...xml.matchAll(/type="([^"]+)"/g)].map((m) => m[1])).toEqual(Array(3).fill('imsbasiclti_xmlv1p0'));
      const lab = files.get('R2.xml')!;
      expect(lab).toContain('<blti:launch_url>https://quiz.example.com/lab</blti:launch_url>');
      expect(lab).toContain('<lticm:property name="chapter">3</lticm:property>');
      expect(lab).toContain('<lticm:property name="tool_level">provider</lticm:property>');
      expect(files.get('R1.xml')).toContain('https://quiz.example.com/launch?unit=1'.replace('&', '&amp;'));
      expect(files.get('R3.xml')).toContain('<lticm:property name="lti_version">1.3</lticm:property>');
      for (const content of files.values()) {
        expect(content).not.toContain(SECRET);
        expect(content).not.toContain('transfer-key');
      }
    });

    it('should pass schema validation of its manifest and of every Basic LTI link when exported', async () => {
      expect(await validateCartridgeManifest(files.get('imsmanifest.xml')!)).toEqual({ valid: true, errors: [] });
      // The schemas do refuse: a link without its vendor, and a manifest whose organization is not a rooted hierarchy.
      const withoutVendor = files.get('R1.xml')!.replace(/<blti:vendor>.*<\/blti:vendor>/, '');
      expect((await validateCartridgeFile(withoutVendor)).valid).toBe(false);
      const flat = files.get('imsmanifest.xml')!.replace('rooted-hierarchy', 'hierarchical');
      expect((await validateCartridgeManifest(flat)).valid).toBe(false);
      for (const path of ['R1.xml', 'R2.xml', 'R3.xml']) {
        expect(await validateCartridgeFile(files.get(path)!)).toEqual({ valid: true, errors: [] });
      }
    });

    it('should preview without writing, then reproduce the activities in order when imported into another organization', async () => {
      const target = (await author.post('/api/v1/courses', { title: 'Imported', organizationId: orgB })).body.id;
      const before = await counts();
      const path = `/api/v1/courses/${target}/cartridge`;

      const preview = await post(root, `${path}?dryRun=true&providerId=${provider11}`, archive);

      expect(preview.status).toBe(200);
      expect(preview.body.applied).toBe(false);
      expect(preview.body.items.map((i: { action: string; title: string }) => [i.action, i.title])).toEqual([
        ['match', activityTitles[0]],
        ['create', activityTitles[1]],
        ['match', activityTitles[2]],
      ]);
      expect(await counts()).toEqual(before);

      const imported = await post(root, `${path}?providerId=${provider11}`, archive);

      expect(imported.status).toBe(200);
      expect(imported.body.applied).toBe(true);
      const course = (await author.get(`/api/v1/courses/${target}`)).body;
      expect(course.activities.map((a: { title: string; required: boolean }) => [a.title, a.required])).toEqual([
        [activityTitles[0], true],
        [activityTitles[1], false],
        [activityTitles[2], true],
      ]);
      const [created] = await testApp.dataSource.query(
        `SELECT l.organization_id, l.url, l.requires_score_for_completion, l.passing_score::float AS passing
           FROM lti_resource_links l JOIN course_activities a ON a.resource_link_id = l.id
          WHERE a.course_id = $1 AND a.position = 2`,
        [target],
      );
      expect(created).toEqual({
        organization_id: orgB,
        url: 'https://quiz.example.com/lab',
        requires_score_for_completion: true,
        passing: 60,
      });
      expect((await counts()).links).toBe(before.links + 1);
    });

    it('should write nothing at all when a step of the import is refused after earlier ones were done', async () => {
      // The first link matches and is placed; the second names a URL no resource link may have.
      const target = (await author.post('/api/v1/courses', { title: 'Half-way', organizationId: orgB })).body.id;
      const halfWay = await zipOf({
        'imsmanifest.xml': manifest([
          { id: 'L', title: 'Known quiz', type: 'imsbasiclti_xmlv1p0', href: 'L.xml' },
          { id: 'U', title: 'Odd page', type: 'imsbasiclti_xmlv1p0', href: 'U.xml' },
        ]),
        'L.xml': basicLtiLink('Known quiz', 'https://quiz.example.com/launch?unit=1'),
        'U.xml': basicLtiLink('Odd page', 'ftp://quiz.example.com/page'),
      });
      const path = `/api/v1/courses/${target}/cartridge?providerId=${provider11}`;
      const before = await counts();

      const preview = await post(root, `${path}&dryRun=true`, halfWay);
      expect(preview.body.items.map((i: { action: string }) => i.action)).toEqual(['match', 'create']);
      const refused = await post(root, path, halfWay);

      expect(refused.status).toBe(400);
      expect(await counts()).toEqual(before);
    });

    it('should offer no tool to create links under when the importer is not a site administrator', async () => {
      const target = (await author.post('/api/v1/courses', { title: 'Author only', organizationId: orgB })).body.id;
      const refused = await post(
        author,
        `/api/v1/courses/${target}/cartridge?dryRun=true&providerId=${provider11}`,
        archive,
      );
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'providerId' })]);
      // Every link of the cartridge exists in B by now (the round trip above made the lab's): all are placed.
      const plan = await post(author, `/api/v1/courses/${target}/cartridge?dryRun=true`, archive);
      expect(plan.body.items.map((i: { action: string }) => i.action)).toEqual(['match', 'match', 'match']);
    });

    it('should list resources that are not LTI links as skipped, and links without a match when no tool is chosen', async () => {
      const target = (await author.post('/api/v1/courses', { title: 'Mixed', organizationId: orgB })).body.id;
      const mixed = await zipOf({
        'imsmanifest.xml': manifest([
          { id: 'W', title: 'Reading', type: 'webcontent', href: 'reading.html' },
          { id: 'L', title: 'Known quiz', type: 'imsbasiclti_xmlv1p0', href: 'L.xml' },
          { id: 'U', title: 'Unknown tool', type: 'imsbasiclti_xmlv1p0', href: 'U.xml' },
        ]),
        'reading.html': '<p>Read this</p>',
        'L.xml': basicLtiLink('Known quiz', 'https://quiz.example.com/launch?unit=1'),
        'U.xml': basicLtiLink('Unknown tool', 'https://elsewhere.example.com/'),
      });

      const plan = await post(author, `/api/v1/courses/${target}/cartridge?dryRun=true`, mixed);

      expect(plan.status).toBe(200);
      expect(plan.body.items).toEqual([
        expect.objectContaining({ action: 'skip', title: 'Reading', reason: 'not_lti' }),
        expect.objectContaining({ action: 'match', title: 'Known quiz' }),
        expect.objectContaining({ action: 'skip', title: 'Unknown tool', reason: 'no_matching_link' }),
      ]);
    });

    describe('hostile archives', () => {
      let target: string;
      const link = basicLtiLink('Quiz', 'https://quiz.example.com/launch?unit=1');
      const oneLink = manifest([{ id: 'L', title: 'Quiz', type: 'imsbasiclti_xmlv1p0', href: 'L.xml' }]);

      /** yazl refuses to write `..`, so the name is written with a stand-in of the same length and patched. */
      async function zipSlip(): Promise<Buffer> {
        const archive = await zipOf({ 'imsmanifest.xml': oneLink, 'L.xml': link, 'XX/XX/evil.sh': 'echo owned' });
        return Buffer.from(archive.toString('latin1').split('XX/XX/evil.sh').join('../../evil.sh'), 'latin1');
      }

      beforeAll(async () => {
        target = (await author.post('/api/v1/courses', { title: 'Target', organizationId: orgB })).body.id;
      });

      it.each([
        ['a zip slip entry', zipSlip, 'unsafe path'],
        [
          'a zip bomb',
          () => zipOf({ 'imsmanifest.xml': oneLink, 'L.xml': link, 'bomb.bin': Buffer.alloc(30 * 1024 * 1024) }),
          'size limits',
        ],
        [
          'a manifest with a DOCTYPE and entities',
          () =>
            zipOf({
              'imsmanifest.xml': manifest(
                [{ id: 'L', title: '&lol;', type: 'imsbasiclti_xmlv1p0', href: 'L.xml' }],
                '<!DOCTYPE manifest [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
              ),
              'L.xml': link,
            }),
          'DOCTYPE',
        ],
        [
          'a link with an external entity',
          () =>
            zipOf({
              'imsmanifest.xml': oneLink,
              'L.xml': link.replace('?>', '?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
            }),
          'DOCTYPE',
        ],
        [
          'too many entries',
          () => zipOf(Object.fromEntries(Array.from({ length: 2001 }, (_, i) => [`f${i}.txt`, 'x']))),
          'entries',
        ],
        ['a file that is no zip', async () => Buffer.from('PK not really a zip'), 'not a zip'],
        ['a zip without a manifest', () => zipOf({ 'L.xml': link }), 'imsmanifest.xml'],
      ])('should refuse %s with 400 and write nothing', async (_label, make, message) => {
        const before = await counts();
        for (const dryRun of [true, false]) {
          const refused = await post(
            root,
            `/api/v1/courses/${target}/cartridge?dryRun=${dryRun}&providerId=${provider11}`,
            await make(),
          );
          expect(refused.status).toBe(400);
          expect(refused.body.errors ?? refused.body).toEqual(
            expect.arrayContaining([expect.objectContaining({ field: 'cartridge' })]),
          );
          expect(JSON.stringify(refused.body)).toContain(message);
        }
        expect(await counts()).toEqual(before);
      });

      it('should refuse an empty body and a course outside the caller’s organizations', async () => {
        const empty = await author.request('POST', `/api/v1/courses/${target}/cartridge`, undefined);
        expect(empty.status).toBe(400);
        const outsider = await ApiClient.signIn(
          testApp.baseUrl,
          'transfer-outsider@example.com',
          'a-long-test-password',
        );
        const hidden = await post(outsider, `/api/v1/courses/${sourceId}/cartridge?dryRun=true`, archive);
        expect(hidden.status).toBe(404);
        const download = await outsider.get(`/api/v1/courses/${sourceId}/cartridge`);
        expect(download.status).toBe(404);
      });
    });
  });
});
