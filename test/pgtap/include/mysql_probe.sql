-- For files that stop MariaDB queries (\ir include/mysql_probe.sql after
-- helpers.sql): how each statement ended, and MariaDB's own view through the
-- mariadb client, independent of the wrapper.
CREATE TEMP TABLE outcome (label text PRIMARY KEY, started timestamptz, finished timestamptz,
                           code text, message text, detail text, hint text, context text);
-- Runs q (the caller sets any statement_timeout at top level) and records how it ended.
CREATE FUNCTION pg_temp.run_capture(label text, q text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  c text; m text; d text; h text; x text;
BEGIN
  INSERT INTO outcome (label, started, code) VALUES (label, clock_timestamp(), 'no error');
  BEGIN
    EXECUTE q;
  EXCEPTION WHEN query_canceled OR OTHERS THEN
    GET STACKED DIAGNOSTICS c = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL,
                            h = PG_EXCEPTION_HINT, x = PG_EXCEPTION_CONTEXT;
    UPDATE outcome SET code = c, message = m, detail = d, hint = h, context = x
     WHERE outcome.label = run_capture.label;
  END;
  UPDATE outcome SET finished = clock_timestamp() WHERE outcome.label = run_capture.label;
END $f$;
CREATE FUNCTION pg_temp.seconds(l text) RETURNS numeric LANGUAGE sql AS $f$
  SELECT extract(epoch FROM finished - started) FROM outcome WHERE label = l
$f$;
-- A query on the MariaDB server at 127.0.0.1:port as minibar, run by the mariadb
-- command-line client (independent of the wrapper); its output, or its error text.
CREATE TEMP TABLE mysql_out (line text);
CREATE FUNCTION pg_temp.mysql_value(port int, q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  result text;
BEGIN
  TRUNCATE mysql_out;
  EXECUTE format('COPY mysql_out FROM PROGRAM %L WITH (FORMAT csv, DELIMITER %L, QUOTE %L)',
                 format('MYSQL_PWD=minibar mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P %s -u minibar -N -B -e %s 2>&1; exit 0',
                        port, '''' || replace(q, '''', '''"''"''') || ''''),
                 E'\x01', E'\x02');
  SELECT string_agg(line, E'\n') INTO result FROM mysql_out;
  RETURN coalesce(result, '');
END $f$;
-- Polls mysql_value until it returns want or timeout_s has passed; the last
-- value. With a label, how long it waited is kept in waited.
CREATE TEMP TABLE waited (label text PRIMARY KEY, seconds numeric, value text);
CREATE FUNCTION pg_temp.wait_mysql(label text, port int, q text, want text, timeout_s numeric)
RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
  t0 timestamptz := clock_timestamp();
  v text := pg_temp.wait_for(format('SELECT pg_temp.mysql_value(%s, %L)', port, q), format('$1 = %L', want),
                             timeout_s);
BEGIN
  IF label IS NOT NULL THEN
    INSERT INTO waited VALUES (label, extract(epoch FROM clock_timestamp() - t0), v);
  END IF;
  RETURN v;
END $f$;
CREATE FUNCTION pg_temp.wait_mysql(port int, q text, want text, timeout_s numeric) RETURNS text
LANGUAGE sql AS $f$ SELECT pg_temp.wait_mysql(NULL, port, q, want, timeout_s) $f$;
