-- The scale data set: a large tenant beside whatever the database holds already, in plain SQL
-- (generate_series), repeatable and fast (minutes at full size, seconds at 1%).
--
--   psql "$DATABASE_URL" -v scale=1 -f scripts/scale-seed.sql        full size (the default)
--   psql "$DATABASE_URL" -v scale=0.05 -f scripts/scale-seed.sql     5 % of every count
--   psql "$DATABASE_URL" -v scale=0.001 -v tag=small -f …           another set beside it (own names)
--
-- At scale 1: ~10,000 organizations (11,111: a tree of depth 5 under one new top-level
-- organization, "Data set <tag>"), 200,000 people (learners of the deepest organizations), 500 LTI 1.1
-- providers and 10,000 resource links available to the whole tree, 2,000 courses of 5 activities,
-- 20,000 classes, 1,000,000 class enrollments (5 per person, 50 per class), 3,000,000 progress
-- rows (3 activities per enrollment), 2,000,000 launch records and 2,000,000 score-ledger entries.
-- The schema must be migrated first (start the app once). Run it once per database: the names it
-- gives are unique, so a second run stops at the first insert. The providers' secrets are not
-- sealed with any key: the set is for reading (lists, rosters, reports, ledger), not for
-- launching its providers. bench/scale.ts runs it for its large set.

\set ON_ERROR_STOP on
\if :{?scale}
\else
  \set scale 1
\endif
-- A second set beside the first needs a tag of its own (names and emails carry it).
\if :{?tag}
\else
  \set tag scale
\endif

BEGIN;
SET LOCAL synchronous_commit = off;

CREATE TEMP TABLE seed_size ON COMMIT DROP AS
SELECT greatest(1, round(10000 * :scale))::int AS organizations,
       greatest(1, round(200000 * :scale))::int AS people,
       greatest(1, round(500 * :scale))::int AS providers,
       greatest(5, round(10000 * :scale))::int AS links,
       greatest(1, round(2000 * :scale))::int AS courses,
       greatest(5, round(20000 * :scale))::int AS classes,
       greatest(1, round(1000000 * :scale))::int AS enrollments,
       greatest(1, round(2000000 * :scale))::int AS launches;

-- The tree: level k (1–5) has organizations^((k-1)/4) members; each hangs under member n of level k-1.
CREATE TEMP TABLE seed_org (level int, n int, id uuid DEFAULT gen_random_uuid(), PRIMARY KEY (level, n)) ON COMMIT DROP;
INSERT INTO seed_org (level, n)
SELECT level, n
  FROM seed_size, generate_series(1, 5) AS level,
       LATERAL generate_series(0, greatest(1, ceil(power(organizations, (level - 1) / 4.0)))::int - 1) AS n
 WHERE level > 1 OR n = 0;
INSERT INTO organizations (id, name, parent_id)
SELECT o.id, CASE WHEN o.level = 1 THEN format('Data set %s', :'tag') ELSE format('%s %s-%s', :'tag', o.level, o.n) END, p.id
  FROM seed_org o
  LEFT JOIN seed_org p ON p.level = o.level - 1
   AND p.n = o.n % NULLIF((SELECT count(*) FROM seed_org WHERE level = o.level - 1), 0)
 ORDER BY o.level, o.n;

CREATE TEMP TABLE seed_leaf ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY n) - 1 AS n, id FROM seed_org WHERE level = 5;
CREATE INDEX ON seed_leaf (n);

CREATE TEMP TABLE seed_person ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id FROM seed_size, generate_series(0, people - 1) AS n;
ALTER TABLE seed_person ADD PRIMARY KEY (n);
INSERT INTO users (id, email, name, given_name, family_name, organization_id)
SELECT p.id, format('%s-%s@scale.example.com', :'tag', p.n), format('%s learner %s', :'tag', p.n), 'Scale',
       format('Learner %s', p.n), l.id
  FROM seed_person p JOIN seed_leaf l ON l.n = p.n % (SELECT count(*) FROM seed_leaf);
INSERT INTO memberships (user_id, organization_id, role)
SELECT id, organization_id, 'learner' FROM users JOIN seed_person USING (id);

CREATE TEMP TABLE seed_provider ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id FROM seed_size, generate_series(0, providers - 1) AS n;
INSERT INTO lti_providers (id, organization_id, name, lti_version, privacy_level, user_id_source, presentation_target,
                           consumer_key, shared_secret_sealed, shared_secret_mask)
SELECT p.id, (SELECT id FROM seed_org WHERE level = 1), format('%s tool %s', :'tag', p.n), '1.1', 'public',
       'internal', 'window', format('%s-key-%s', :'tag', p.n), 'not-sealed', '****'
  FROM seed_provider p;
INSERT INTO lti_provider_availability (provider_id, organization_id)
SELECT id, (SELECT id FROM seed_org WHERE level = 1) FROM seed_provider;

CREATE TEMP TABLE seed_link ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS id FROM seed_size, generate_series(0, links - 1) AS n;
ALTER TABLE seed_link ADD PRIMARY KEY (n);
INSERT INTO lti_resource_links (id, organization_id, provider_id, name, url)
SELECT l.id, (SELECT id FROM seed_org WHERE level = 1), p.id, format('%s link %s', :'tag', l.n),
       format('https://tool.scale.example.com/activity/%s', l.n)
  FROM seed_link l JOIN seed_provider p ON p.n = l.n % (SELECT count(*) FROM seed_provider);
INSERT INTO lti_resource_link_availability (resource_link_id, organization_id)
SELECT id, (SELECT id FROM seed_org WHERE level = 1) FROM seed_link;

CREATE TEMP TABLE seed_course ON COMMIT DROP AS
SELECT c.n, gen_random_uuid() AS id, l.id AS organization_id
  FROM seed_size, generate_series(0, courses - 1) AS c(n)
  JOIN seed_leaf l ON l.n = c.n % (SELECT count(*) FROM seed_leaf);
ALTER TABLE seed_course ADD PRIMARY KEY (n);
INSERT INTO courses (id, organization_id, title, code)
SELECT id, organization_id, format('%s course %s', :'tag', n), format('%s-%s', :'tag', n) FROM seed_course;

-- Five activities per course, placing links in turn; position 1–5.
CREATE TEMP TABLE seed_activity ON COMMIT DROP AS
SELECT c.n AS course_n, pos, gen_random_uuid() AS id, c.id AS course_id,
       (SELECT id FROM seed_link WHERE seed_link.n = (c.n * 5 + pos - 1) % (SELECT count(*) FROM seed_link)) AS link_id
  FROM seed_course c, generate_series(1, 5) AS pos;
ALTER TABLE seed_activity ADD PRIMARY KEY (course_n, pos);
INSERT INTO course_activities (id, course_id, resource_link_id, lti_resource_link_id, title, position)
SELECT id, course_id, link_id, id::text, format('%s activity %s', :'tag', pos), pos FROM seed_activity;

CREATE TEMP TABLE seed_class ON COMMIT DROP AS
SELECT k.n, gen_random_uuid() AS id, c.n AS course_n, c.id AS course_id, c.organization_id
  FROM seed_size, generate_series(0, classes - 1) AS k(n)
  JOIN seed_course c ON c.n = k.n % (SELECT count(*) FROM seed_course);
ALTER TABLE seed_class ADD PRIMARY KEY (n);
INSERT INTO classes (id, course_id, organization_id, title)
SELECT id, course_id, organization_id, format('%s class %s', :'tag', n) FROM seed_class;

-- Enrollment i: person i mod P in round r = i div P, class (person * 5 + r) mod C: a person's
-- classes differ from round to round, so (class, person) stays unique among live enrollments.
CREATE TEMP TABLE seed_enrollment ON COMMIT DROP AS
SELECT i, gen_random_uuid() AS id, p.id AS user_id, k.id AS class_id, k.course_id, k.course_n,
       now() - make_interval(secs => i) AS created_at
  FROM seed_size, generate_series(0, enrollments - 1) AS i
  JOIN seed_person p ON p.n = i % (SELECT people FROM seed_size)
  JOIN seed_class k ON k.n = ((i % (SELECT people FROM seed_size)) * 5 + i / (SELECT people FROM seed_size))
                             % (SELECT count(*) FROM seed_class);
ALTER TABLE seed_enrollment ADD PRIMARY KEY (i);
INSERT INTO enrollments (id, kind, course_id, class_id, user_id, role, status, created_at)
SELECT id, 'class', course_id, class_id, user_id, 'learner', 'active', created_at FROM seed_enrollment;

-- Progress on the first three activities of every enrollment: completed, awaiting a score, launched.
INSERT INTO activity_progress (enrollment_id, activity_id, status, score_percent, first_launched_at, completed_at,
                               score_given, score_maximum, scored_at)
SELECT e.id, a.id, (ARRAY['completed', 'awaiting_score', 'launched'])[a.pos],
       CASE WHEN a.pos = 1 THEN (e.i % 101)::numeric END, e.created_at,
       CASE WHEN a.pos = 1 THEN e.created_at END, CASE WHEN a.pos = 1 THEN (e.i % 101)::numeric / 100 END,
       CASE WHEN a.pos = 1 THEN 1 END, CASE WHEN a.pos = 1 THEN e.created_at END
  FROM seed_enrollment e JOIN seed_activity a ON a.course_n = e.course_n AND a.pos <= 3;

-- Launches and ledger entries: 2 per enrollment at full size, on its first two activities.
INSERT INTO lti_launches (user_id, enrollment_id, activity_id, resource_link_id, provider_id, lti_version, kind, roles,
                          pii_sent, created_at)
SELECT e.user_id, e.id, a.id, a.link_id, l.provider_id, '1.1', 'learner', ARRAY['Learner'], ARRAY['name', 'email'],
       e.created_at + make_interval(secs => j)
  FROM seed_size, generate_series(0, launches - 1) AS j
  JOIN seed_enrollment e ON e.i = j % (SELECT enrollments FROM seed_size)
  JOIN seed_activity a ON a.course_n = e.course_n AND a.pos = 1 + j / (SELECT enrollments FROM seed_size) % 2
  JOIN lti_resource_links l ON l.id = a.link_id;
INSERT INTO score_ledger (received_at, lti_version, provider_id, organization_id, enrollment_id, activity_id, user_id,
                          source, operation, raw_score, decision, resulting_status, score_percent)
SELECT e.created_at + make_interval(secs => j), '1.1', l.provider_id, k.organization_id, e.id, a.id, e.user_id,
       'scale-seed', 'replaceResult', '0.75', 'applied', 'completed', 75
  FROM seed_size, generate_series(0, launches - 1) AS j
  JOIN seed_enrollment e ON e.i = j % (SELECT enrollments FROM seed_size)
  JOIN seed_class k ON k.id = e.class_id
  JOIN seed_activity a ON a.course_n = e.course_n AND a.pos = 1 + j / (SELECT enrollments FROM seed_size) % 2
  JOIN lti_resource_links l ON l.id = a.link_id;

COMMIT;
ANALYZE;

SELECT (SELECT count(*) FROM organizations) AS organizations, (SELECT count(*) FROM users) AS people,
       (SELECT count(*) FROM lti_providers) AS providers, (SELECT count(*) FROM lti_resource_links) AS links,
       (SELECT count(*) FROM enrollments) AS enrollments, (SELECT count(*) FROM activity_progress) AS progress,
       (SELECT count(*) FROM lti_launches) AS launches, (SELECT count(*) FROM score_ledger) AS ledger;
