-- index_usage_report: each kind of finding from a fixture made to trigger it
-- (unused, duplicate, redundant prefix, foreign key without an index,
-- invalid), a clean schema that yields no finding, and suggestions that are
-- never run. Right after a migration (statistics younger than
-- min_stats_age) no unused index is suggested for DROP, and never an index
-- that is the only one for a foreign key.
\ir include/helpers.sql
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS tap_ix CASCADE;
DROP SCHEMA IF EXISTS tap_ix_clean CASCADE;
DROP SCHEMA IF EXISTS tap_ixm CASCADE;
\set fixture `test/pgtap/include/sqlite_fixture.sh /var/lib/minibar_migrate/tap/index_usage.sqlite "CREATE TABLE parent (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO parent VALUES (1, 'a'), (2, 'b'); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id), note TEXT); INSERT INTO child VALUES (1, 1, 'x'), (2, 2, 'y'); CREATE INDEX child_parent ON child (parent_id); CREATE INDEX child_note ON child (note);"`
DROP SERVER IF EXISTS tap_ixm_lite CASCADE;
CREATE SERVER tap_ixm_lite FOREIGN DATA WRAPPER minibar_sqlite OPTIONS (database '/var/lib/minibar_migrate/tap/index_usage.sqlite');
SELECT count(*) FROM minibar_migrate.migrate_database('tap_ixm_lite', 'tap_ixm', '{"workers": 0}') \g /dev/null

CREATE SCHEMA tap_ix;
CREATE TABLE tap_ix.parent (id int PRIMARY KEY, code text UNIQUE);
CREATE TABLE tap_ix.child (id int PRIMARY KEY, parent_id int REFERENCES tap_ix.parent, a int, b int, note text,
                           email text);
INSERT INTO tap_ix.parent SELECT g, 'p' || g FROM generate_series(1, 100) g;
INSERT INTO tap_ix.child SELECT g, 1 + g % 100, g % 10, g % 7, 'n' || g, 'e' || (g % 50) FROM generate_series(1, 1000) g;
CREATE INDEX child_a ON tap_ix.child (a);              -- redundant: leads child_a_b; and unused
CREATE INDEX child_a_b ON tap_ix.child (a, b);         -- used below
CREATE INDEX child_a_again ON tap_ix.child (a);        -- duplicate of child_a
CREATE INDEX child_note ON tap_ix.child (note);        -- unused
-- invalid: a unique index built concurrently over duplicate values fails and stays behind
\set ON_ERROR_STOP 0
CREATE UNIQUE INDEX CONCURRENTLY child_email_key ON tap_ix.child (email);

CREATE SCHEMA tap_ix_clean;
CREATE TABLE tap_ix_clean.parent (id int PRIMARY KEY);
CREATE TABLE tap_ix_clean.child (id int PRIMARY KEY, parent_id int REFERENCES tap_ix_clean.parent);
CREATE INDEX child_parent ON tap_ix_clean.child (parent_id);
INSERT INTO tap_ix_clean.parent SELECT generate_series(1, 10);
INSERT INTO tap_ix_clean.child SELECT g, 1 + g % 10 FROM generate_series(1, 100) g;

-- Use child_a_b and the clean schema's index, and flush the counts.
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT count(*) FROM tap_ix.child WHERE a = 3 AND b = 2 \g /dev/null
SELECT count(*) FROM tap_ix_clean.child WHERE parent_id = 3 \g /dev/null
RESET enable_seqscan;
RESET enable_bitmapscan;
SELECT pg_stat_force_next_flush() \g /dev/null
SELECT 1 \g /dev/null

CREATE TEMP TABLE rep AS SELECT * FROM minibar_migrate.index_usage_report('tap_ix');

SELECT plan(21);
SELECT is((SELECT indisvalid FROM pg_index WHERE indexrelid = 'tap_ix.child_email_key'::regclass), false,
          'fixture: child_email_key was left invalid');
SELECT results_eq($$SELECT finding, table_name::text COLLATE "default", index_name::text COLLATE "default", suggestion
                      FROM rep ORDER BY 1, 3$$,
                  $$VALUES ('duplicate', 'child', 'child_a_again', 'DROP INDEX tap_ix.child_a_again;'),
                           ('fk_without_index', 'child', NULL, 'CREATE INDEX ON tap_ix.child (parent_id);'),
                           ('invalid', 'child', 'child_email_key', 'REINDEX INDEX tap_ix.child_email_key;  -- or DROP INDEX tap_ix.child_email_key;'),
                           ('redundant', 'child', 'child_a', 'DROP INDEX tap_ix.child_a;'),
                           ('unused', 'child', 'child_a', 'DROP INDEX tap_ix.child_a;'),
                           ('unused', 'child', 'child_a_again', 'DROP INDEX tap_ix.child_a_again;'),
                           ('unused', 'child', 'child_note', 'DROP INDEX tap_ix.child_note;')$$,
                  'every planted finding, and nothing else: the used index, the keys and the unique constraint are not reported');
SELECT is((SELECT detail FROM rep WHERE finding = 'duplicate'), 'same definition as child_a',
          'the duplicate names the index it duplicates (the older one is kept)');
SELECT is((SELECT detail FROM rep WHERE finding = 'redundant'), 'its columns lead child_a_b, which serves the same lookups',
          'the redundant index names the wider one');
SELECT matches((SELECT detail FROM rep WHERE finding = 'fk_without_index'),
               '^foreign key child_parent_id_fkey \(parent_id\) has no index on the referencing side',
               'the foreign key without an index is named with its columns');
SELECT ok((SELECT bool_and(index_size > 0 AND scans = 0) FROM rep WHERE finding = 'unused'),
          'unused indexes come with their size and 0 scans');
SELECT is((SELECT stats_since IS NOT DISTINCT FROM (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database())
             FROM rep WHERE finding = 'unused' LIMIT 1), true,
          'and the time the statistics were last reset');
SELECT cmp_ok((SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelid = 'tap_ix.child_a_b'::regclass), '>', 0::bigint,
              'fixture: child_a_b was scanned (so it is not unused)');
SELECT is((SELECT count(*) FROM minibar_migrate.index_usage_report('tap_ix_clean')), 0::bigint,
          'a clean schema (keys, a used index on the foreign key) yields no finding');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = 'tap_ix'::regnamespace AND relkind = 'i'), 8::bigint,
          'nothing was run: all 8 indexes of tap_ix are still there');
SELECT ok((SELECT count(*) > 0 FROM minibar_migrate.index_usage_report() WHERE schema_name = 'tap_ix')
          AND (SELECT count(*) = 0 FROM minibar_migrate.index_usage_report()
                WHERE schema_name IN ('pg_catalog', 'information_schema', 'minibar_migrate', 'pg_toast')),
          'without a schema: every user schema, none of the system ones');
SELECT is((SELECT count(*) FROM minibar_migrate.index_usage_report('no_such_schema')), 0::bigint,
          'a schema that does not exist has no finding');
SET search_path = tap_ix, public;
SELECT is((SELECT count(*) FROM minibar_migrate.index_usage_report('tap_ix')), (SELECT count(*) FROM rep),
          'the same report whatever the search_path');
RESET search_path;

-- Right after a migration: the statistics of its tables are minutes old.
SELECT is(:'fixture'::text, 'ok', 'fixture: a SQLite parent/child with an index on the foreign key and one on note, migrated');
CREATE TEMP TABLE repm AS SELECT * FROM minibar_migrate.index_usage_report('tap_ixm');
SELECT results_eq($$SELECT finding, index_name::text COLLATE "default", suggestion FROM repm ORDER BY 2$$,
                  $$VALUES ('unused', 'child_note', '-- look again after ' ||
                              date_trunc('second', (SELECT finished_at FROM minibar_migrate.runs
                                                     WHERE target_schema = 'tap_ixm' ORDER BY run_id DESC LIMIT 1)
                                                   + interval '7 days')),
                           ('unused', 'child_parent', '-- keep tap_ixm.child_parent: deletes and key updates of the referenced rows need it (foreign key child_parent_id_fkey)')$$,
                  'right after the migration: no DROP suggested (too early; and the foreign key''s only index is kept)');
SELECT is((SELECT bool_and(stats_since = (SELECT finished_at FROM minibar_migrate.runs WHERE target_schema = 'tap_ixm'
                                           ORDER BY run_id DESC LIMIT 1)) FROM repm), true,
          'stats_since is when the migration finished (later than the last statistics reset)');
SELECT matches((SELECT detail FROM repm WHERE index_name = 'child_note'),
               '^no index scan since .*; the statistics are [0-9:]+ old, younger than 7 days: too early to tell$',
               'the detail says how old the statistics are, and why no DROP');
SELECT results_eq($$SELECT index_name::text COLLATE "default", suggestion
                      FROM minibar_migrate.index_usage_report('tap_ixm', '{"min_stats_age": "0"}') ORDER BY 1$$,
                  $$VALUES ('child_note', 'DROP INDEX tap_ixm.child_note;'),
                           ('child_parent', '-- keep tap_ixm.child_parent: deletes and key updates of the referenced rows need it (foreign key child_parent_id_fkey)')$$,
                  'with min_stats_age 0: DROP for the unused index, still none for the foreign key''s only index');
CREATE INDEX child_parent_note ON tap_ixm.child (parent_id, note);
SELECT is((SELECT suggestion FROM minibar_migrate.index_usage_report('tap_ixm', '{"min_stats_age": "0"}')
            WHERE finding = 'unused' AND index_name = 'child_parent'), 'DROP INDEX tap_ixm.child_parent;',
          'once another index leads with the foreign key''s column, the first one may go');
SELECT throws_ok($$SELECT * FROM minibar_migrate.index_usage_report('tap_ixm', '{"min_age": "1 day"}')$$, '22023',
                 'unknown index_usage_report option "min_age"', 'an unknown option is refused (22023)');
SELECT throws_ok($$SELECT * FROM minibar_migrate.index_usage_report('tap_ixm', '{"min_stats_age": "soon"}')$$, '22023',
                 'invalid index_usage_report option "min_stats_age": "soon"', 'a min_stats_age that is no interval is refused (22023)');

SELECT * FROM finish();
DROP SCHEMA tap_ix CASCADE;
DROP SCHEMA tap_ix_clean CASCADE;
DROP SCHEMA tap_ixm CASCADE;
DROP SERVER tap_ixm_lite CASCADE;
