-- Included by psql (test/pgtap/sync.sql, bench/sync.sh) with the variable
-- fn_schema set: the waits on a sync, in schema :fn_schema.
--
-- caught_up(srv, timeout, pause_s) polls until the sync of server srv has
-- applied everything up to the source's head as it is now, and returns the
-- moment (epoch) it saw that, or NULL (with a warning) after timeout seconds.
CREATE FUNCTION :fn_schema.caught_up(srv name, timeout double precision, pause_s double precision DEFAULT 0.02)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
  h record;
  s record;
  deadline timestamptz := clock_timestamp() + make_interval(secs => timeout);
BEGIN
  SELECT * INTO h FROM minibar_migrate.source_binlog_position(srv);
  LOOP
    SELECT * INTO s FROM minibar_migrate.syncs WHERE server = srv;
    IF s.applied_file > h.file OR (s.applied_file = h.file AND s.applied_pos >= h.pos) THEN
      RETURN extract(epoch FROM clock_timestamp());
    END IF;
    IF clock_timestamp() > deadline THEN
      RAISE WARNING 'not caught up: head %:%, applied %:%, state %, error %', h.file, h.pos,
        s.applied_file, s.applied_pos, s.state, s.last_error;
      RETURN NULL;
    END IF;
    PERFORM pg_sleep(pause_s);
  END LOOP;
END
$$;
-- streaming(srv, timeout, old) polls until the sync worker of server srv is
-- alive and streaming (under a pid other than old, when given); false after
-- timeout seconds.
CREATE FUNCTION :fn_schema.streaming(srv name, timeout double precision, old int DEFAULT NULL)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  deadline timestamptz := clock_timestamp() + make_interval(secs => timeout);
BEGIN
  LOOP
    PERFORM pg_stat_clear_snapshot();  -- pg_stat_activity is read once per transaction otherwise
    IF EXISTS (SELECT 1 FROM minibar_migrate.syncs s JOIN pg_stat_activity a ON a.pid = s.pid
                WHERE s.server = srv AND s.pid IS DISTINCT FROM old AND s.state = 'streaming') THEN
      RETURN true;
    END IF;
    IF clock_timestamp() > deadline THEN RETURN false; END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
END
$$;
