// sync_start, sync_stop and source_binlog_position: the SQL entry points of
// change data capture. sync_start checks the source (binlog on, ROW format,
// FULL row image and metadata), takes each migrated table from its latest
// run (with the binlog position of its copy), refuses tables without a
// primary key, writes the sync's rows and starts its background worker.
#include <csignal>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/convert/number_parse.hpp"
#include "core/error.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/json_options.hpp"
#include "pg/remote/source.hpp"
#include "pg/base/spi.hpp"
#include "pg/migrate/run_record.hpp"
#include "pg/sync/launcher.hpp"
#include "pg/sync/sync_record.hpp"
#include "pg/sync/worker.hpp"

namespace minibar::pg {
namespace {

constexpr OptionsKind kSync{
    "sync", "the options of sync_start in the documentation page \"Cutover\" (cutover.md)"};

struct Row {
  std::string source_table, target_table, state, start, reason;
};

bool before(const std::string &fa, int64_t pa, const std::string &fb, int64_t pb) {
  return fa < fb || (fa == fb && pa < pb);
}

std::string get(const std::optional<std::string> &v) {
  return v ? *v : std::string();
}

// Checks the source can feed a sync; returns its database name.
std::string check_source(MigrationSource &src, const std::string &server) {
  auto v = src.query(
      "SELECT @@log_bin, @@binlog_format, @@binlog_row_image, "
      "COALESCE(@@binlog_row_metadata, ''), DATABASE(), @@server_id");
  if (v.empty() || v[0].size() < 6)
    throw Error(sqlstate::kInternal, "could not read the source's settings");
  auto &r = v[0];
  auto fail = [&](const std::string &what, const std::string &hint) {
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                "server \"" + server + "\" cannot be synced: " + what, "", hint);
  };
  if (get(r[0]) != "1")
    fail("the source has no binlog (log_bin is OFF)",
         "Start the MariaDB server with log_bin, binlog_format=ROW, binlog_row_image=FULL and "
         "binlog_row_metadata=FULL, migrate again, then sync.");
  if (get(r[1]) != "ROW")
    fail("binlog_format is " + get(r[1]) + ", not ROW",
         "SET GLOBAL binlog_format = 'ROW' (then migrate again).");
  if (get(r[2]) != "FULL")
    fail("binlog_row_image is " + get(r[2]) + ", not FULL",
         "SET GLOBAL binlog_row_image = 'FULL'.");
  if (get(r[3]) != "FULL")
    fail("binlog_row_metadata is " + (get(r[3]).empty() ? std::string("unset") : get(r[3])) +
             ", not FULL (column names and ENUM labels are needed)",
         "SET GLOBAL binlog_row_metadata = 'FULL'.");
  return get(r[4]);
}

std::vector<Row> start_sync(const char *server, const char *target_schema,
                            const std::string &options, const SourceConfig &config) {
  std::set<std::string> only;
  int64_t replica_id = 0;
  for (const JsonOption &o : json_options(options, kSync)) {
    if (o.key == "tables") {
      for (const std::string &n : option_names(kSync, options, o)) only.insert(n);
    } else if (o.key == "replica_server_id") {
      replica_id = to_int64(o.value);
      if (replica_id < 1 || replica_id > 4294967295LL)
        bad_option(kSync, o.key, "must be between 1 and 4294967295");
    } else {
      bad_option(kSync, o.key, "unknown option");
    }
  }
  std::string srv = server;
  std::unique_ptr<MigrationSource> src = open_source(config);
  std::string source_db = check_source(*src, srv);

  std::optional<SyncFound> existing = sync_find(srv);
  std::string applied_file;
  int64_t applied_pos = 0;
  if (existing) {
    if (existing->wanted == "running" && existing->pid) {
      int pid = *existing->pid;
      bool alive = false;
      pg_call([&] { alive = BackendPidGetProc(pid) != nullptr; });
      if (alive)
        throw Error(sqlstate::kObjectNotInPrerequisiteState,
                    "the sync of server \"" + srv + "\" is already running (pid " +
                        std::to_string(pid) + ")",
                    "", "Stop it first with minibar_migrate.sync_stop.");
    }
    applied_file = existing->applied_file;
    applied_pos = existing->applied_pos;
    if (!replica_id) replica_id = existing->replica_server_id;
  }
  if (!replica_id) {
    // A replica id of our own: stable per server name, away from small ids.
    uint32 h = 0;
    pg_call(
        [&] { h = hash_bytes(reinterpret_cast<const unsigned char *>(server), strlen(server)); });
    replica_id = 1000000000LL + (h % 1000000000u);
  }

  // Every table's latest finished copy into target_schema, with its position.
  std::vector<LatestCopy> tables = run_latest_copies(srv, target_schema);
  if (tables.empty())
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                "no finished migration of server \"" + srv + "\" into schema \"" +
                    std::string(target_schema) + "\" was found",
                "", "Migrate first (migrate_database or migrate_table), then start the sync.");

  std::map<std::string, std::vector<std::string>> pk;
  for (auto &r :
       src->query("SELECT table_name, column_name FROM information_schema.key_column_usage "
                  "WHERE table_schema = DATABASE() AND constraint_name = 'PRIMARY' "
                  "ORDER BY table_name, ordinal_position"))
    if (r.size() >= 2 && r[0] && r[1]) pk[*r[0]].push_back(*r[1]);

  sync_tables_clear(srv);
  std::vector<Row> out;
  std::string start_file;
  int64_t start_pos = 0;
  std::vector<SyncTableStart> inserts;
  for (const LatestCopy &t : tables) {
    const std::string &name = t.source_table;
    if (!only.empty() && !only.count(name)) continue;
    Row row;
    row.source_table = name;
    row.target_table = t.target_table;
    std::string file = t.binlog_file;
    int64_t pos = t.binlog_pos;
    std::string state = "syncing", reason;
    if (file.empty()) {
      state = "refused";
      reason = "its copy recorded no binlog position: " + t.position_note;
    } else if (!pk.count(name)) {
      state = "refused";
      reason = "it has no primary key on the source (changes could not be matched to rows)";
    }
    // A resumed sync has applied everything up to its position already.
    if (state == "syncing" && !applied_file.empty() &&
        before(file, pos, applied_file, applied_pos)) {
      file = applied_file;
      pos = applied_pos;
    }
    if (state == "syncing" && (start_file.empty() || before(file, pos, start_file, start_pos))) {
      start_file = file;
      start_pos = pos;
    }
    row.state = state;
    row.start = file.empty() ? "" : file + ":" + std::to_string(pos);
    row.reason = reason;
    SyncTableStart ins;
    ins.source_table = name;
    ins.target_table = row.target_table;
    ins.target_relid = t.target_relid;
    ins.run_id = t.run_id;
    ins.start_file = file;
    ins.start_pos = pos;
    ins.source_columns_json = t.source_columns_json;
    ins.target_columns_json = t.target_columns_json;
    if (pk.count(name)) ins.key_columns = pk[name];
    ins.state = state;
    ins.reason = reason;
    inserts.push_back(std::move(ins));
    out.push_back(std::move(row));
  }
  if (start_file.empty())
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                "no table of server \"" + srv + "\" can be synced", "",
                "See the reasons: every table was refused.");
  sync_upsert(srv, target_schema, options, source_db, replica_id, start_file, start_pos);
  sync_tables_insert(srv, inserts);
  BackgroundWorkerHandle *h = nullptr;
  pg_call([&] { h = sync_launch(MyDatabaseId, GetUserId(), server, GetTopTransactionId()); });
  if (!h)
    throw Error(sqlstate::kInsufficientResources,
                "no background worker slot is free for the sync of server \"" + srv + "\"", "",
                "Raise max_worker_processes.");
  return out;
}

bool pid_alive(int pid) {
  bool alive = false;
  pg_call([&] { alive = BackendPidGetProc(pid) != nullptr; });
  return alive;
}

}  // namespace
}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PG_FUNCTION_INFO_V1(minibar_sync_start);
PGDLLEXPORT Datum minibar_sync_start(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("server must not be NULL")));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *schema = PG_ARGISNULL(1) ? "public" : pstrdup(NameStr(*PG_GETARG_NAME(1)));
    const char *options = options_arg(fcinfo, 2);
    if (!superuser())
      ereport(
          ERROR,
          (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE), errmsg("only superusers can start a sync"),
           errdetail("The sync runs as a background worker for as long as it is not stopped.")));
    const char *dbname = get_database_name(MyDatabaseId);
    if (!sync_database_served(dbname))
      ereport(ERROR,
              (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
               errmsg("the sync launcher does not serve database \"%s\"", dbname),
               errdetail("minibar_migrate is preloaded and its setting "
                         "minibar_migrate.sync_databases does not name this database, so no sync "
                         "worker may run here."),
               errhint("Add the database to minibar_migrate.sync_databases (postgresql.conf or "
                       "ALTER SYSTEM), then SELECT pg_reload_conf().")));
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    auto *config = static_cast<SourceConfig *>(palloc0(sizeof(SourceConfig)));
    source_config(get_foreign_server_oid(server, false), config);
    if (config->dialect != Dialect::Mysql)
      ereport(
          ERROR,
          (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
           errmsg("server \"%s\" has no binlog: sync_start works on MySQL/MariaDB servers", server),
           errhint("SQLite sources catch up with minibar_migrate.sync_table instead.")));
    int guc_level = spi_begin_pinned();
    {
      std::vector<Row> rows = start_sync(server, schema, options, *config);
      for (const Row &r : rows) {
        pg_call([&] {
          Datum v[5];
          bool n[5] = {false, false, false, r.start.empty(), r.reason.empty()};
          v[0] = CStringGetTextDatum(r.source_table.c_str());
          v[1] = CStringGetTextDatum(r.target_table.c_str());
          v[2] = CStringGetTextDatum(r.state.c_str());
          v[3] = n[3] ? 0 : CStringGetTextDatum(r.start.c_str());
          v[4] = n[4] ? 0 : CStringGetTextDatum(r.reason.c_str());
          tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
        });
      }
    }
    pg_call([&] { spi_end_pinned(guc_level); });
    return static_cast<Datum>(0);
  });
}

PG_FUNCTION_INFO_V1(minibar_sync_stop);
PGDLLEXPORT Datum minibar_sync_stop(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("server must not be NULL")));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    int guc_level = spi_begin_pinned();
    std::string result;
    {
      std::string srv = server;
      std::optional<SyncWorkerPid> worker = sync_worker_pid(srv);
      if (!worker)
        throw Error(sqlstate::kUndefinedObject, "there is no sync for server \"" + srv + "\"");
      if (worker->pid != 0) {
        int pid = worker->pid;
        // Stop it first (it commits or rolls back its batch), then mark it:
        // updating the row before would make it wait for our lock.
        if (pid_alive(pid)) {
          bool ours = false;
          pg_call([&] {
            PGPROC *proc = BackendPidGetProc(pid);
            ours = proc && proc->isBackgroundWorker;
          });
          if (ours) kill(pid, SIGTERM);
          for (int i = 0; i < 600 && pid_alive(pid); i++) {
            pg_call([] {
              (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50,
                              PG_WAIT_EXTENSION);
              ResetLatch(MyLatch);
            });
            check_for_interrupts();
          }
          if (pid_alive(pid))
            throw Error(sqlstate::kObjectInUse, "the sync worker of server \"" + srv + "\" (pid " +
                                                    std::to_string(pid) +
                                                    ") did not stop within 30 s");
        }
      }
      sync_mark_stopped(srv);
      result = "stopped at " + sync_stopped_at(srv);
    }
    pg_call([&] { spi_end_pinned(guc_level); });
    text *t = cstring_to_text_with_len(result.data(), static_cast<int>(result.size()));
    PG_RETURN_TEXT_P(t);
  });
}

PG_FUNCTION_INFO_V1(minibar_source_binlog_position);
PGDLLEXPORT Datum minibar_source_binlog_position(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("server must not be NULL")));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    TupleDesc desc;
    if (get_call_result_type(fcinfo, nullptr, &desc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "return type must be a row type");
    auto *config = static_cast<SourceConfig *>(palloc0(sizeof(SourceConfig)));
    source_config(get_foreign_server_oid(server, false), config);
    if (config->dialect != Dialect::Mysql)
      ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                      errmsg("server \"%s\" has no binlog", server)));
    std::string file, pos, gtid;
    {
      std::unique_ptr<MigrationSource> src = open_source(*config);
      auto r = src->query("SHOW MASTER STATUS");
      if (r.empty() || r[0].size() < 2 || !r[0][0] || !r[0][1])
        throw Error(
            sqlstate::kObjectNotInPrerequisiteState,
            "server \"" + std::string(server) + "\" has no binlog (SHOW MASTER STATUS is empty)");
      file = *r[0][0];
      pos = *r[0][1];
      auto g = src->query("SELECT @@gtid_binlog_pos");
      if (!g.empty() && !g[0].empty() && g[0][0]) gtid = *g[0][0];
    }
    Datum v[3];
    bool n[3] = {false, false, gtid.empty()};
    HeapTuple tup = nullptr;
    int64_t position = to_int64(pos);
    pg_call([&] {
      v[0] = CStringGetTextDatum(file.c_str());
      v[1] = Int64GetDatum(position);
      v[2] = n[2] ? 0 : CStringGetTextDatum(gtid.c_str());
      tup = heap_form_tuple(BlessTupleDesc(desc), v, n);
    });
    return HeapTupleGetDatum(tup);
  });
}

}  // extern "C"
