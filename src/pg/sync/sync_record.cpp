#include "pg/sync/sync_record.hpp"

#include "core/convert/number_parse.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

std::string get(const std::optional<std::string> &v) {
  return v ? *v : std::string();
}

// One UPDATE of a server's syncs row: SET set.
void update_syncs(const std::string &server, const std::string &set) {
  spi_exec("UPDATE minibar_migrate.syncs SET " + set +
           " WHERE server = " + pg_quote_literal(server));
}

}  // namespace

std::optional<SyncFound> sync_find(const std::string &server) {
  auto existing = spi_rows(
      "SELECT wanted, pid::text, coalesce(applied_file, ''), coalesce(applied_pos, 0)::text, "
      "replica_server_id::text FROM minibar_migrate.syncs WHERE server = $1",
      {server});
  if (existing.empty()) return std::nullopt;
  const auto &e = existing[0];
  SyncFound f;
  f.wanted = get(e.at(0));
  if (e.at(1)) f.pid = to_int(*e.at(1));
  f.applied_file = get(e.at(2));
  f.applied_pos = to_int64(get(e.at(3)));
  f.replica_server_id = to_int64(get(e.at(4)));
  return f;
}

void sync_tables_clear(const std::string &server) {
  spi_exec("DELETE FROM minibar_migrate.sync_tables WHERE server = " + pg_quote_literal(server));
}

void sync_upsert(const std::string &server, const std::string &target_schema,
                 const std::string &options, const std::string &source_db, int64_t replica_id,
                 const std::string &start_file, int64_t start_pos) {
  spi_exec(
      "INSERT INTO minibar_migrate.syncs (server, target_schema, options, source_db, "
      "replica_server_id, start_file, start_pos) VALUES (" +
      pg_quote_literal(server) + ", " + pg_quote_literal(target_schema) + ", " +
      pg_quote_literal(options) + "::jsonb, " + pg_quote_literal(source_db) + ", " +
      std::to_string(replica_id) + ", " + pg_quote_literal(start_file) + ", " +
      std::to_string(start_pos) +
      ") ON CONFLICT (server) DO UPDATE SET target_schema = EXCLUDED.target_schema, "
      "options = EXCLUDED.options, source_db = EXCLUDED.source_db, "
      "replica_server_id = EXCLUDED.replica_server_id, start_file = EXCLUDED.start_file, "
      "start_pos = EXCLUDED.start_pos, applied_file = NULL, applied_pos = NULL, wanted = "
      "'running', "
      "state = 'starting', pid = NULL, started_by = current_user, started_at = clock_timestamp(), "
      "stopped_at = NULL");
}

void sync_tables_insert(const std::string &server, const std::vector<SyncTableStart> &tables) {
  std::string values;
  for (const SyncTableStart &t : tables) {
    const bool none = t.start_file.empty();
    values += (values.empty() ? "(" : ", (") + pg_quote_literal(server) + ", " +
              pg_quote_literal(t.source_table) + ", " + pg_quote_literal(t.target_table) + ", " +
              std::to_string(t.target_relid) + "::pg_catalog.oid, " + std::to_string(t.run_id) +
              ", " + (none ? "NULL" : pg_quote_literal(t.start_file)) + ", " +
              (none ? "NULL" : std::to_string(t.start_pos)) + ", " +
              "ARRAY(SELECT json_array_elements_text(" + pg_quote_literal(t.source_columns_json) +
              "::json)), ARRAY(SELECT json_array_elements_text(" +
              pg_quote_literal(t.target_columns_json) + "::json)), " +
              pg_quote_literal(pg_text_array_literal(t.key_columns)) + "::text[], " +
              pg_quote_literal(t.state) + ", NULLIF(" + pg_quote_literal(t.reason) + ", ''))";
  }
  spi_exec(
      "INSERT INTO minibar_migrate.sync_tables (server, source_table, target_table, target_relid, "
      "run_id, "
      "start_file, start_pos, source_columns, target_columns, key_columns, state, reason) "
      "VALUES " +
      values);
}

std::optional<SyncWorkerPid> sync_worker_pid(const std::string &server) {
  auto r = spi_rows("SELECT pid::text FROM minibar_migrate.syncs WHERE server = $1", {server});
  if (r.empty()) return std::nullopt;
  SyncWorkerPid w;
  if (r[0].at(0)) w.pid = to_int(*r[0].at(0));
  return w;
}

void sync_mark_stopped(const std::string &server) {
  update_syncs(server,
               "wanted = 'stopped', state = 'stopped', pid = NULL, "
               "stopped_at = coalesce(stopped_at, clock_timestamp())");
}

std::string sync_stopped_at(const std::string &server) {
  auto p = spi_rows(
      "SELECT coalesce(applied_file || ':' || applied_pos, start_file || ':' || start_pos) "
      "FROM minibar_migrate.syncs WHERE server = $1",
      {server});
  return get(p.at(0).at(0));
}

std::optional<SyncResume> sync_load_running(const std::string &server) {
  auto s = spi_rows(
      "SELECT source_db, replica_server_id::text, coalesce(applied_file, start_file), "
      "coalesce(applied_pos, start_pos)::text, wanted, coalesce(applied_gtid, '') "
      "FROM minibar_migrate.syncs WHERE server = $1",
      {server});
  if (s.empty() || !s[0].at(4) || *s[0].at(4) != "running") return std::nullopt;
  SyncResume r;
  r.source_db = get(s[0].at(0));
  r.replica_id = to_uint32(get(s[0].at(1)));
  r.position = {get(s[0].at(2)), to_uint64(get(s[0].at(3)))};
  r.applied_gtid = get(s[0].at(5));
  return r;
}

std::map<std::string, SyncTableLoad> sync_tables_syncing(const std::string &server) {
  std::map<std::string, SyncTableLoad> out;
  for (const auto &r :
       spi_rows("SELECT source_table, target_table, coalesce(start_file, ''), "
                "coalesce(start_pos, 0)::text, target_relid::pg_catalog.oid::pg_catalog.text "
                "FROM minibar_migrate.sync_tables WHERE server = $1 AND state = 'syncing'",
                {server})) {
    SyncTableLoad &t = out[get(r.at(0))];
    t.spec.source_table = get(r.at(0));
    t.spec.target_table = get(r.at(1));
    t.spec.target_relid = static_cast<Oid>(to_uint32(r.at(4).value_or("0")));
    t.start = {get(r.at(2)), to_uint64(get(r.at(3)))};
  }
  for (const auto &r :
       spi_rows("SELECT t.source_table, u.s, u.t FROM minibar_migrate.sync_tables t, "
                "unnest(t.source_columns, t.target_columns) WITH ORDINALITY AS u(s, t, i) "
                "WHERE t.server = $1 AND t.state = 'syncing' ORDER BY t.source_table, u.i",
                {server})) {
    SyncTableLoad &t = out[get(r.at(0))];
    t.spec.source_columns.push_back(get(r.at(1)));
    t.spec.target_columns.push_back(get(r.at(2)));
  }
  for (const auto &r :
       spi_rows("SELECT t.source_table, u.k FROM minibar_migrate.sync_tables t, "
                "unnest(t.key_columns) WITH ORDINALITY AS u(k, i) "
                "WHERE t.server = $1 AND t.state = 'syncing' ORDER BY t.source_table, u.i",
                {server}))
    out[get(r.at(0))].spec.key_columns.push_back(get(r.at(1)));
  return out;
}

void sync_worker_starting(const std::string &server) {
  update_syncs(server, "pid = pg_backend_pid(), state = 'starting'");
}

void sync_worker_streaming(const std::string &server) {
  update_syncs(server, "state = 'streaming'");
}

void sync_batch_applied(const std::string &server, const SyncBatch &b) {
  std::string set =
      "state = 'streaming', pid = pg_backend_pid(), "
      "applied_file = " +
      pg_quote_literal(b.applied.file) + ", applied_pos = " + std::to_string(b.applied.pos) +
      ", applied_gtid = NULLIF(" + pg_quote_literal(b.applied_gtid) + ", '')" +
      ", applied_event_at = " +
      (b.applied_time ? "to_timestamp(" + std::to_string(b.applied_time) + ")"
                      : "applied_event_at") +
      ", applied_at = CASE WHEN " + std::to_string(b.transactions) +
      " > 0 THEN clock_timestamp() ELSE applied_at END" +
      ", transactions_applied = transactions_applied + " + std::to_string(b.transactions) +
      ", rows_applied = rows_applied + " + std::to_string(b.rows) +
      ", lag_seconds = " + std::to_string(b.lag_seconds);
  if (!b.source_head.file.empty())
    set += ", source_file = " + pg_quote_literal(b.source_head.file) +
           ", source_pos = " + std::to_string(b.source_head.pos) +
           ", source_seen_at = clock_timestamp()";
  update_syncs(server, set);
}

void sync_table_counts(const std::string &server, const std::string &source_table, int64_t inserted,
                       int64_t updated, int64_t deleted) {
  spi_exec("UPDATE minibar_migrate.sync_tables SET inserted = inserted + " +
           std::to_string(inserted) + ", updated = updated + " + std::to_string(updated) +
           ", deleted = deleted + " + std::to_string(deleted) + " WHERE server = " +
           pg_quote_literal(server) + " AND source_table = " + pg_quote_literal(source_table));
}

void sync_table_pause(const std::string &server, const std::string &source_table,
                      const std::string &reason, const std::string &hint) {
  spi_exec("UPDATE minibar_migrate.sync_tables SET state = 'paused', reason = " +
           pg_quote_literal(reason) + ", hint = " + pg_quote_literal(hint) +
           ", paused_at = clock_timestamp() WHERE server = " + pg_quote_literal(server) +
           " AND source_table = " + pg_quote_literal(source_table));
}

namespace {

// PostgreSQL calls, as the worker leaves: one UPDATE of its syncs row with
// text parameters, in a transaction of its own; an error here is only logged.
void update_sync_row(const char *sql, int nargs, const char *const *args) {
  PG_TRY();
  {
    AbortOutOfAnyTransaction();
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    SPI_connect();
    PushActiveSnapshot(GetTransactionSnapshot());
    Oid types[3] = {TEXTOID, TEXTOID, TEXTOID};
    Datum values[3];
    for (int i = 0; i < nargs; i++) values[i] = CStringGetTextDatum(args[i]);
    SPI_execute_with_args(sql, nargs, types, values, nullptr, false, 0);
    SPI_finish();
    PopActiveSnapshot();
    CommitTransactionCommand();
  }
  PG_CATCH();
  {
    EmitErrorReport();
    FlushErrorState();
    AbortOutOfAnyTransaction();
  }
  PG_END_TRY();
}

}  // namespace

void pg_sync_record_error(const char *server, const char *message, const char *state) {
  const char *args[3] = {server, message, state};
  update_sync_row(
      "UPDATE minibar_migrate.syncs SET last_error = $2, last_error_at = clock_timestamp(), "
      "state = $3, pid = CASE WHEN $3 = 'stopped' THEN NULL ELSE pid END, "
      "stopped_at = CASE WHEN $3 = 'stopped' THEN clock_timestamp() ELSE stopped_at END "
      "WHERE server = $1::name",
      3, args);
}

void pg_sync_record_stopped(const char *server) {
  const char *args[1] = {server};
  update_sync_row(
      "UPDATE minibar_migrate.syncs SET state = 'stopped', pid = NULL, "
      "stopped_at = clock_timestamp() WHERE server = $1::name AND pid = pg_backend_pid()",
      1, args);
}

void pg_syncs_wanted_running(void (*each)(const char *server, Oid role)) {
  int rc = SPI_execute(
      "SELECT s.server::text, r.oid FROM minibar_migrate.syncs s "
      "JOIN pg_catalog.pg_roles r ON r.rolname = s.started_by WHERE s.wanted = 'running'",
      true, 0);
  if (rc != SPI_OK_SELECT) return;
  for (uint64 i = 0; i < SPI_processed; i++) {
    bool isnull;
    char *server = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
    Oid role =
        DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
    each(server, role);
  }
}

}  // namespace minibar::pg
