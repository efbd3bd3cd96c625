-- The error boundary, both directions (src/pg/base/guard.hpp).
\set VERBOSITY sqlstate
CREATE FUNCTION selftest_throw(text) RETURNS text
  AS 'minibar_migrate', 'minibar_selftest_throw' LANGUAGE C STRICT;
CREATE FUNCTION selftest_pg_error(bool) RETURNS int
  AS 'minibar_migrate', 'minibar_selftest_pg_error' LANGUAGE C STRICT;
CREATE FUNCTION selftest_live_objects() RETURNS bigint
  AS 'minibar_migrate', 'minibar_selftest_live_objects' LANGUAGE C STRICT;

-- C++ -> PostgreSQL: each kind of exception becomes an ERROR, backend stays up.
SELECT selftest_throw('none');
SELECT selftest_throw('std');
\set VERBOSITY terse
SELECT selftest_throw('std');
\set VERBOSITY sqlstate
SELECT selftest_throw('bad_alloc');
SELECT selftest_throw('int');
\set VERBOSITY default
SELECT selftest_throw('minibar');
\set VERBOSITY sqlstate
SELECT selftest_live_objects();

-- PostgreSQL -> C++: an ERROR raised under live C++ objects keeps its SQLSTATE
-- and the objects are destroyed.
SELECT selftest_pg_error(false);
SELECT selftest_pg_error(true);
SELECT selftest_live_objects();

-- Many errors, caught in PL/pgSQL: nothing leaks, the session goes on.
\set VERBOSITY terse
DO $$
DECLARE caught int := 0;
BEGIN
  FOR i IN 1..200 LOOP
    BEGIN
      PERFORM selftest_pg_error(true);
    EXCEPTION WHEN division_by_zero THEN caught := caught + 1;
    END;
    BEGIN
      PERFORM selftest_throw('std');
    EXCEPTION WHEN external_routine_exception THEN caught := caught + 1;
    END;
  END LOOP;
  RAISE NOTICE 'caught % errors', caught;
END $$;
SELECT selftest_live_objects();
SELECT 'backend alive' AS status;
