-- minibar_mysql: options, security, import, pushdown, errors, connection cache.
-- Needs the MariaDB that scripts/provision.sh starts (user minibar/minibar).
CREATE SCHEMA my_test;
SET search_path = my_test, public;
SET timezone = 'UTC';
\getenv srcdir PG_ABS_SRCDIR
\setenv SRCDIR :srcdir
\! mariadb < "$SRCDIR/test/fixtures/regress_mysql.sql"

-- Option validation.
\set VERBOSITY default
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (nonsense 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (username 'x');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (port '70000');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (ssl_mode 'maybe');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (zero_dates 'zero');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (source_timezone 'Mars/Olympus');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (ssl_ca 'relative.pem');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (fetch_size '-1');
CREATE SERVER bad FOREIGN DATA WRAPPER minibar_mysql OPTIONS (host '');

CREATE SERVER my FOREIGN DATA WRAPPER minibar_mysql
  OPTIONS (host '127.0.0.1', port '3306', dbname 'minibar_regress', connect_timeout '5');
CREATE USER MAPPING FOR CURRENT_USER SERVER my OPTIONS (username 'minibar', password 'minibar');
CREATE USER MAPPING FOR CURRENT_USER SERVER my OPTIONS (dbname 'x');

-- Import: every table and view, the documented type mapping, NOT NULL, no defaults by default.
IMPORT FOREIGN SCHEMA minibar_regress FROM SERVER my INTO my_test;
\det+ my_test.*
\d items
SELECT * FROM items ORDER BY id;
SELECT * FROM cheap_items ORDER BY id;
SELECT * FROM "Mixed Case `Tab""; ü" ORDER BY 1;
\d modern
SELECT * FROM modern ORDER BY id;
SELECT count(*), sum(qty), min(seen), max(seen) FROM items;

-- Options: EXCEPT, lowercase_identifiers, import_default, import_not_null.
CREATE SCHEMA my_lower;
IMPORT FOREIGN SCHEMA minibar_regress EXCEPT (items, doomed, cheap_items, modern) FROM SERVER my INTO my_lower
  OPTIONS (lowercase_identifiers 'true');
\d my_lower.*
SELECT * FROM my_lower."mixed case `tab""; ü" ORDER BY 1;
CREATE SCHEMA my_defaults;
IMPORT FOREIGN SCHEMA minibar_regress LIMIT TO (items) FROM SERVER my INTO my_defaults
  OPTIONS (import_default 'true', import_not_null 'false');
\d my_defaults.items
IMPORT FOREIGN SCHEMA minibar_regress FROM SERVER my INTO my_defaults OPTIONS (bogus 'x');
IMPORT FOREIGN SCHEMA minibar_nope FROM SERVER my INTO my_defaults;

-- Zero dates are NULL by default, an error when the server says so.
SELECT id, made FROM items WHERE id = 3;
ALTER SERVER my OPTIONS (ADD zero_dates 'error');
SELECT id, made FROM items WHERE id = 3;
ALTER SERVER my OPTIONS (DROP zero_dates);

-- DATETIME is read in source_timezone.
ALTER SERVER my OPTIONS (ADD source_timezone 'Europe/Istanbul');
SELECT id, seen FROM items WHERE id IN (1, 5) ORDER BY id;
ALTER SERVER my OPTIONS (DROP source_timezone);
SELECT id, seen FROM items WHERE id IN (1, 5) ORDER BY id;

-- Pushdown: what goes to MySQL, and the same answers as a local copy.
CREATE TEMP TABLE items_local AS SELECT * FROM items;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE id > 2 AND qty IS NOT NULL;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE name = 'café';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE NOT (name = 'café');
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE name < 'd';
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE price IN (12.50, 3.00) OR id = 5;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE made IS NULL;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE ratio = 0.1;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id, name FROM items LIMIT 2;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE id > 1 LIMIT 2 OFFSET 1;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items ORDER BY id LIMIT 2;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE name = 'tea' LIMIT 1;
EXPLAIN (VERBOSE, COSTS OFF) SELECT count(*) FROM items;
CREATE FUNCTION same_as_local(cond text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  remote_rows text;
  local_rows text;
BEGIN
  EXECUTE format('SELECT string_agg(id::text, '','' ORDER BY id) FROM items WHERE %s', cond)
    INTO remote_rows;
  EXECUTE format('SELECT string_agg(id::text, '','' ORDER BY id) FROM items_local WHERE %s', cond)
    INTO local_rows;
  RETURN remote_rows IS NOT DISTINCT FROM local_rows;
END $$;
SELECT c, same_as_local(c) FROM (VALUES
  ('id = 3'), ('id <> 3'), ('id < 3'), ('id <= 3'), ('id > 3'), ('id >= 3'), ('3 < id'),
  ('id IN (1, 4, 9)'), ('qty IS NULL'), ('qty IS NOT NULL'), ('qty > 5'),
  ('qty = 4294967295'), ('price = 12.5'), ('price IN (3, -1.25)'), ('price > 100'),
  ('name = ''café'''), ('name = ''CAFÉ'''), ('name IN (''tea'', ''cafe'', ''Çay'')'),
  ('name = ''o''''brien; `x`'''), ('NOT (id = 1 OR id = 2)'), ('(id = 1 AND price > 1) OR qty = 0'),
  ('made IS NULL'), ('flag'), ('NOT flag'),
  ('price > ''NaN'''), ('price <> ''NaN'''), ('price < ''Infinity'''), ('price >= ''-Infinity'''),
  ('price IN (12.5, ''NaN'')'), ('price > -1e100')) AS t(c);
PREPARE by_id(int) AS SELECT name FROM items WHERE id = $1;
EXECUTE by_id(4);
EXECUTE by_id(5);
-- NaN and ±Infinity are never sent (MySQL reads 'NaN' as 0), nor decimals
-- beyond DECIMAL(65,30). A numeric parameter is sent behind a flag that turns
-- its condition off for such values, and the clause is rechecked.
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE price > 'NaN' AND id > 1;
EXPLAIN (VERBOSE, COSTS OFF) SELECT id FROM items WHERE price > -1e100;
PREPARE by_price(numeric) AS SELECT string_agg(id::text, ',' ORDER BY id) FROM items WHERE price < $1;
SET plan_cache_mode = force_generic_plan;
EXPLAIN (VERBOSE, COSTS OFF) EXECUTE by_price('NaN');
EXECUTE by_price('NaN');
EXECUTE by_price('-Infinity');
EXECUTE by_price(5);
RESET plan_cache_mode;
DEALLOCATE by_price;
-- A join with both sides remote: the inner side is rescanned with parameters.
SET enable_hashjoin = off;
SET enable_mergejoin = off;
SELECT a.id, b.name FROM items a JOIN items b ON b.id = a.id WHERE a.id < 3 ORDER BY 1;
RESET enable_hashjoin;
RESET enable_mergejoin;

-- fetch_size: a server-side cursor, a few rows per round trip; a scan that
-- ends early closes it, and the connection goes on working.
ALTER SERVER my OPTIONS (ADD fetch_size '2');
SELECT id, name FROM items ORDER BY id;
SELECT count(*) FROM (SELECT id FROM items WHERE ratio > -1 LIMIT 1) s;
SELECT count(*) FROM items;
ALTER SERVER my OPTIONS (DROP fetch_size);

-- ANALYZE samples the remote table.
ANALYZE items;
SELECT attname, null_frac FROM pg_stats WHERE schemaname = 'my_test' AND tablename = 'items'
  AND attname IN ('qty', 'flag') ORDER BY 1;

-- Remote errors name the server, the MySQL error and get a fitting SQLSTATE.
\set VERBOSITY sqlstate
CREATE FOREIGN TABLE missing_col (id int, nope int) SERVER my OPTIONS (table_name 'items');
SELECT nope FROM missing_col;
SELECT id FROM missing_col WHERE id = 1;
\! mariadb -e "DROP TABLE minibar_regress.doomed"
SELECT * FROM doomed;
\set VERBOSITY default
SELECT * FROM doomed;
CREATE SERVER my_nodb FOREIGN DATA WRAPPER minibar_mysql OPTIONS (dbname 'minibar_nope');
CREATE USER MAPPING FOR CURRENT_USER SERVER my_nodb OPTIONS (username 'minibar', password 'minibar');
CREATE FOREIGN TABLE nodb_t (a int) SERVER my_nodb;
SELECT * FROM nodb_t;
CREATE SERVER my_badpw FOREIGN DATA WRAPPER minibar_mysql OPTIONS (dbname 'minibar_regress');
CREATE USER MAPPING FOR CURRENT_USER SERVER my_badpw
  OPTIONS (username 'minibar', password 'Sekr3t-never-shown');
CREATE FOREIGN TABLE badpw_t (a int) SERVER my_badpw OPTIONS (table_name 'items');
SELECT * FROM badpw_t;
CREATE SERVER my_down FOREIGN DATA WRAPPER minibar_mysql OPTIONS (port '3399', dbname 'x');
CREATE USER MAPPING FOR CURRENT_USER SERVER my_down OPTIONS (username 'minibar', password 'x');
CREATE FOREIGN TABLE down_t (a int) SERVER my_down;
SELECT * FROM down_t;

-- MySQL privileges: a table the MySQL user cannot see at all looks missing
-- (information_schema hides it); one it may only write to is a privilege error.
\! mariadb -e "DROP USER IF EXISTS 'minibar_limited'@'127.0.0.1'; CREATE USER 'minibar_limited'@'127.0.0.1' IDENTIFIED BY 'limited'; GRANT INSERT ON minibar_regress.items TO 'minibar_limited'@'127.0.0.1'"
CREATE SERVER my_limited FOREIGN DATA WRAPPER minibar_mysql OPTIONS (dbname 'minibar_regress');
CREATE USER MAPPING FOR CURRENT_USER SERVER my_limited
  OPTIONS (username 'minibar_limited', password 'limited');
CREATE FOREIGN TABLE limited_items (id int) SERVER my_limited OPTIONS (table_name 'items');
CREATE FOREIGN TABLE limited_view (id int) SERVER my_limited OPTIONS (table_name 'cheap_items');
SELECT * FROM limited_items;
SELECT * FROM limited_view;
\! mariadb -e "DROP USER 'minibar_limited'@'127.0.0.1'"

-- Security: non-superusers need a password and may not name server files.
CREATE ROLE mb_my_plain;
GRANT USAGE ON FOREIGN DATA WRAPPER minibar_mysql TO mb_my_plain;
GRANT USAGE ON SCHEMA my_test TO mb_my_plain;
GRANT USAGE ON FOREIGN SERVER my TO mb_my_plain;
CREATE USER MAPPING FOR mb_my_plain SERVER my OPTIONS (username 'minibar');
GRANT SELECT ON items TO mb_my_plain;
SET ROLE mb_my_plain;
SELECT id FROM items WHERE id = 1;
CREATE SERVER plain_sock FOREIGN DATA WRAPPER minibar_mysql OPTIONS (socket '/run/mysqld/mysqld.sock');
CREATE SERVER plain_ssl FOREIGN DATA WRAPPER minibar_mysql OPTIONS (ssl_key '/etc/ssl/private/x.key');
RESET ROLE;
ALTER USER MAPPING FOR mb_my_plain SERVER my OPTIONS (ADD password 'minibar');
SET ROLE mb_my_plain;
SELECT id FROM items WHERE id = 1;
-- Users see their own mapping's options, not other users' (no password leak).
SELECT usename, umoptions FROM pg_user_mappings WHERE srvname = 'my' ORDER BY usename;
RESET ROLE;
DROP USER MAPPING FOR mb_my_plain SERVER my;
REVOKE ALL ON items FROM mb_my_plain;
REVOKE ALL ON SCHEMA my_test FROM mb_my_plain;
REVOKE ALL ON FOREIGN SERVER my FROM mb_my_plain;
REVOKE ALL ON FOREIGN DATA WRAPPER minibar_mysql FROM mb_my_plain;
DROP ROLE mb_my_plain;

-- TLS (scripts/provision.sh gives MariaDB a certificate from a private CA).
CREATE SERVER my_tls FOREIGN DATA WRAPPER minibar_mysql
  OPTIONS (dbname 'minibar_regress', ssl_mode 'require');
CREATE USER MAPPING FOR CURRENT_USER SERVER my_tls OPTIONS (username 'minibar', password 'minibar');
CREATE FOREIGN TABLE tls_t (id int) SERVER my_tls OPTIONS (table_name 'items');
SELECT count(*) FROM tls_t;
SELECT server_name, tls IS NOT NULL AS encrypted FROM minibar_migrate.mysql_connections()
  WHERE server_name = 'my_tls';
ALTER SERVER my_tls OPTIONS (SET ssl_mode 'verify-full', ADD ssl_ca '/etc/mysql/minibar-tls/ca.pem');
SELECT count(*) FROM tls_t;
-- A CA that did not sign the server's certificate: refused.
ALTER SERVER my_tls OPTIONS (SET ssl_ca '/etc/ssl/certs/ca-certificates.crt');
\set VERBOSITY sqlstate
SELECT count(*) FROM tls_t;
\set VERBOSITY default

-- The connection cache: one per server and mapping, dropped on ALTER SERVER,
-- ALTER USER MAPPING or on request.
SELECT minibar_migrate.mysql_disconnect_all() >= 0 AS closed;
SELECT count(*) FROM items;
SELECT server_name, user_name, valid, busy, tls FROM minibar_migrate.mysql_connections();
CREATE TEMP TABLE first_thread AS SELECT thread_id FROM minibar_migrate.mysql_connections();
SELECT count(*) FROM items;
SELECT thread_id = (SELECT thread_id FROM first_thread) AS reused
  FROM minibar_migrate.mysql_connections();
ALTER SERVER my OPTIONS (SET connect_timeout '6');
SELECT valid FROM minibar_migrate.mysql_connections();
SELECT count(*) FROM items;
SELECT thread_id = (SELECT thread_id FROM first_thread) AS reused, valid
  FROM minibar_migrate.mysql_connections();
SELECT minibar_migrate.mysql_disconnect('my');
SELECT count(*) FROM minibar_migrate.mysql_connections();
SELECT minibar_migrate.mysql_disconnect('my');

DROP SCHEMA my_lower CASCADE;
DROP SCHEMA my_defaults CASCADE;
DROP SERVER my, my_nodb, my_badpw, my_down, my_tls, my_limited CASCADE;
DROP SCHEMA my_test CASCADE;
\! mariadb -e "DROP DATABASE minibar_regress"
