-- ---------------------------------------------------------------------------
-- Change data capture: sync_start / sync_stop / sync_status / cutover
-- ---------------------------------------------------------------------------

-- One row per synced server: what the background worker streams and where it
-- stands. applied_file/applied_pos is updated in the same transaction as the
-- changes it covers, so a restart resumes exactly there.
CREATE TABLE minibar_migrate.syncs (
  server name PRIMARY KEY,
  target_schema name NOT NULL,
  options jsonb NOT NULL DEFAULT '{}',
  source_db text NOT NULL,
  started_by name NOT NULL DEFAULT current_user,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  wanted text NOT NULL DEFAULT 'running' CHECK (wanted IN ('running', 'stopped')),
  state text NOT NULL DEFAULT 'starting'
    CHECK (state IN ('starting', 'streaming', 'retrying', 'stopped')),
  pid int,
  replica_server_id bigint NOT NULL,
  start_file text NOT NULL,
  start_pos bigint NOT NULL,
  applied_file text,
  applied_pos bigint,
  applied_gtid text,
  applied_event_at timestamptz,   -- source time of the last applied transaction
  applied_at timestamptz,         -- when it was committed here
  source_file text,               -- the source's binlog head, last seen
  source_pos bigint,
  source_seen_at timestamptz,
  lag_seconds double precision,
  transactions_applied bigint NOT NULL DEFAULT 0,
  rows_applied bigint NOT NULL DEFAULT 0,
  last_error text,
  last_error_at timestamptz,
  stopped_at timestamptz
);

-- The synced tables: where each one's copy stood (changes before that are
-- in the copy), its columns, and whether it is applied, paused or refused.
CREATE TABLE minibar_migrate.sync_tables (
  server name NOT NULL REFERENCES minibar_migrate.syncs ON DELETE CASCADE,
  source_table text NOT NULL,
  target_table text NOT NULL,     -- quoted, qualified name when the sync started (for display)
  target_relid regclass NOT NULL, -- the target the changes are applied to
  run_id bigint,
  start_file text,
  start_pos bigint,
  source_columns text[] NOT NULL DEFAULT '{}',
  target_columns text[] NOT NULL DEFAULT '{}',
  key_columns text[] NOT NULL DEFAULT '{}',   -- the source's primary key
  state text NOT NULL DEFAULT 'syncing' CHECK (state IN ('syncing', 'paused', 'refused')),
  reason text,
  hint text,
  paused_at timestamptz,
  inserted bigint NOT NULL DEFAULT 0,
  updated bigint NOT NULL DEFAULT 0,
  deleted bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (server, source_table)
);

SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.syncs', '');
-- Of sync_tables only the rows whose target still exists: an OID that names
-- nothing would be written as a number, and could name another table after
-- a restore (changes would go there).
SELECT pg_catalog.pg_extension_config_dump('minibar_migrate.sync_tables',
  'WHERE target_relid IN (SELECT oid FROM pg_catalog.pg_class)');
-- Only superusers start syncs (and the owner of these tables, like every
-- state table, is the only one who writes them); row-level security as on
-- the other state tables, should a role be granted SELECT.
ALTER TABLE minibar_migrate.syncs ENABLE ROW LEVEL SECURITY;
ALTER TABLE minibar_migrate.sync_tables ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_syncs ON minibar_migrate.syncs USING (started_by = current_user);
CREATE POLICY own_sync_tables ON minibar_migrate.sync_tables USING (EXISTS (
  SELECT 1 FROM minibar_migrate.syncs s WHERE s.server = sync_tables.server));

-- Starts (or resumes) a background worker that streams the server's binlog
-- from the position the migration recorded and applies the changes to the
-- migrated tables. Returns a row per table.
CREATE FUNCTION minibar_migrate.sync_start(
  server name, target_schema name DEFAULT 'public', options jsonb DEFAULT '{}')
RETURNS TABLE (source_table text, target_table text, state text, start_position text,
  reason text)
AS 'MODULE_PATHNAME', 'minibar_sync_start'
LANGUAGE C VOLATILE;

-- Stops the worker (it finishes or rolls back the transaction in hand) and
-- waits until it is gone. Returns the applied position.
CREATE FUNCTION minibar_migrate.sync_stop(server name)
RETURNS text
AS 'MODULE_PATHNAME', 'minibar_sync_stop'
LANGUAGE C VOLATILE;

-- The source's current binlog head (SHOW MASTER STATUS): file, position, GTID.
CREATE FUNCTION minibar_migrate.source_binlog_position(server name,
  OUT file text, OUT pos bigint, OUT gtid text)
AS 'MODULE_PATHNAME', 'minibar_source_binlog_position'
LANGUAGE C VOLATILE;

CREATE VIEW minibar_migrate.sync_status WITH (security_invoker = true) AS
SELECT s.server, s.target_schema, s.state, s.wanted, s.pid,
       s.source_file || ':' || s.source_pos AS source_position,
       s.applied_file || ':' || s.applied_pos AS applied_position,
       s.applied_gtid,
       CASE WHEN s.source_file = s.applied_file THEN greatest(s.source_pos - s.applied_pos, 0)
            WHEN s.source_file < s.applied_file THEN 0 END AS lag_bytes,
       s.lag_seconds,
       s.applied_event_at, s.applied_at, s.source_seen_at,
       s.transactions_applied, s.rows_applied,
       (SELECT coalesce(jsonb_object_agg(t.source_table, jsonb_build_object(
                 'state', t.state, 'inserted', t.inserted, 'updated', t.updated,
                 'deleted', t.deleted)), '{}')
          FROM minibar_migrate.sync_tables t WHERE t.server = s.server) AS tables,
       (SELECT count(*) FROM minibar_migrate.sync_tables t
         WHERE t.server = s.server AND t.state = 'paused') AS tables_paused,
       s.last_error, s.last_error_at
  FROM minibar_migrate.syncs s;

-- Helps the switch: once the application has stopped writing to the source
-- (or it is read-only), waits until every change up to the source's current
-- head is applied, stops the sync, resets the sequences and validates every
-- table. Returns a row per step; the last one is the verdict.
CREATE FUNCTION minibar_migrate.cutover(server name, target_schema name DEFAULT 'public',
  options jsonb DEFAULT '{}')
RETURNS TABLE (step text, ok boolean, detail text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  head record;
  s record;
  timeout_s double precision := coalesce((options->>'timeout')::double precision, 300);
  deadline timestamptz;
  paused bigint;
  bad bigint;
  total bigint;
  validated bigint;
  vid bigint;
  n int;
BEGIN
  SELECT * INTO s FROM minibar_migrate.syncs y WHERE y.server = cutover.server;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'no sync for server "%"', server
      USING ERRCODE = '42704', HINT = 'Start one with minibar_migrate.sync_start.';
  END IF;
  SELECT * INTO head FROM minibar_migrate.source_binlog_position(server);
  step := 'source head'; ok := true;
  detail := head.file || ':' || head.pos || coalesce(' (GTID ' || nullif(head.gtid, '') || ')', '');
  RETURN NEXT;
  deadline := clock_timestamp() + make_interval(secs => timeout_s);
  LOOP
    SELECT * INTO s FROM minibar_migrate.syncs y WHERE y.server = cutover.server;
    EXIT WHEN s.applied_file IS NOT NULL AND (s.applied_file > head.file OR
      (s.applied_file = head.file AND s.applied_pos >= head.pos));
    IF s.wanted <> 'running' THEN
      RAISE EXCEPTION 'the sync of server "%" is stopped at %:%', server, s.applied_file, s.applied_pos
        USING ERRCODE = '55000', HINT = 'Start it again with minibar_migrate.sync_start, then retry.';
    END IF;
    IF clock_timestamp() > deadline THEN
      RAISE EXCEPTION 'the sync of server "%" did not reach the source head %:% within % s (applied: %:%, state %, last error: %)',
        server, head.file, head.pos, timeout_s, s.applied_file, s.applied_pos, s.state, coalesce(s.last_error, 'none')
        USING ERRCODE = '57014',
              HINT = 'Is the application still writing to the source? Check minibar_migrate.sync_status.';
    END IF;
    PERFORM pg_sleep(0.05);
  END LOOP;
  step := 'caught up'; ok := true;
  detail := 'applied ' || s.applied_file || ':' || s.applied_pos || ', ' ||
            s.transactions_applied || ' transactions, ' || s.rows_applied || ' rows since the start';
  RETURN NEXT;
  step := 'sync stopped'; detail := minibar_migrate.sync_stop(server); ok := true;
  RETURN NEXT;
  SELECT count(*) INTO n FROM minibar_migrate.reset_sequences(target_schema);
  step := 'sequences reset'; ok := true; detail := n || ' sequences';
  RETURN NEXT;
  SELECT count(*) INTO paused FROM minibar_migrate.sync_tables t
   WHERE t.server = cutover.server AND t.state <> 'syncing';
  SELECT count(*), count(*) FILTER (WHERE NOT v.ok), max(v.validation_id)
    INTO total, bad, vid
    FROM minibar_migrate.validate_database(server, target_schema, coalesce(options->'validate', '{}')) v;
  validated := total;
  step := 'validated'; ok := bad = 0;
  detail := validated || ' checks, ' || bad || ' differ (validation ' || vid || ')';
  RETURN NEXT;
  step := 'verdict'; ok := bad = 0 AND paused = 0;
  detail := CASE WHEN ok THEN 'ready: the target matches the source; switch the application'
                 WHEN paused > 0 THEN paused || ' table(s) were not synced (paused or refused): see minibar_migrate.sync_tables'
                 ELSE 'the target differs from the source: see minibar_migrate.validation_latest' END;
  RETURN NEXT;
END
$$;


COMMENT ON TABLE minibar_migrate.syncs IS
  'One row per synced server: what its change-data-capture worker streams and where it stands';
COMMENT ON TABLE minibar_migrate.sync_tables IS
  'The tables a sync keeps up to date, by target OID, and whether each is syncing, paused or refused';
COMMENT ON FUNCTION minibar_migrate.sync_start IS
  'Starts binlog change data capture from a MySQL/MariaDB server into migrated tables';
COMMENT ON FUNCTION minibar_migrate.sync_stop IS
  'Stops a server''s change data capture';
COMMENT ON FUNCTION minibar_migrate.source_binlog_position IS
  'The source''s current binlog position (file, offset, GTID)';
COMMENT ON VIEW minibar_migrate.sync_status IS
  'The caller''s syncs: state, position, lag and applied changes per table';
COMMENT ON FUNCTION minibar_migrate.cutover IS
  'Switch-over: waits until a sync has applied everything up to the source''s current position, stops it, resets sequences, validates; a row per step';
