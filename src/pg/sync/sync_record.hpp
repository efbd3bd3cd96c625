// The record of change data capture in minibar_migrate.syncs and sync_tables:
// the only code with a statement on them (sync_start / sync_stop, the sync
// worker and the launcher call it). Rows come out as the structs below, their
// columns parsed here once. Statements run as now: with SPI in the current
// transaction, as the caller (a superuser: sync_start and sync_stop refuse
// anyone else) or the worker's role.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/binlog/stream.hpp"
#include "pg/pg.hpp"
#include "pg/sync/apply.hpp"

namespace minibar::pg {

// A server's sync as sync_start finds it (a restart keeps its position).
struct SyncFound {
  std::string wanted;
  std::optional<int> pid;
  std::string applied_file;  // "" when nothing was applied
  int64_t applied_pos = 0;
  int64_t replica_server_id = 0;
};
std::optional<SyncFound> sync_find(const std::string &server);

// A table of the sync as sync_start records it.
struct SyncTableStart {
  std::string source_table, target_table;
  Oid target_relid = InvalidOid;
  int64_t run_id = 0;
  std::string start_file;  // "": none (refused)
  int64_t start_pos = 0;
  std::string source_columns_json, target_columns_json;  // JSON arrays, as run_record gives them
  std::vector<std::string> key_columns;
  std::string state, reason;
};
// sync_start's rows: the sync (replacing one of the same server, back to
// running from start_file:start_pos) and its tables (replacing the old ones).
void sync_tables_clear(const std::string &server);
void sync_upsert(const std::string &server, const std::string &target_schema,
                 const std::string &options, const std::string &source_db, int64_t replica_id,
                 const std::string &start_file, int64_t start_pos);
void sync_tables_insert(const std::string &server, const std::vector<SyncTableStart> &tables);

// sync_stop: the sync's worker (nullopt: no sync; pid 0: none recorded); the
// sync marked stopped; where it stopped ("file:pos").
struct SyncWorkerPid {
  int pid = 0;
};
std::optional<SyncWorkerPid> sync_worker_pid(const std::string &server);
void sync_mark_stopped(const std::string &server);
std::string sync_stopped_at(const std::string &server);

// The worker: its sync when still wanted running, and its tables in sync
// (by source table).
struct SyncResume {
  std::string source_db;
  uint32_t replica_id = 0;
  BinlogPosition position;  // applied, or the start
  std::string applied_gtid;
};
std::optional<SyncResume> sync_load_running(const std::string &server);
struct SyncTableLoad {
  SyncTableSpec spec;
  BinlogPosition start;
};
std::map<std::string, SyncTableLoad> sync_tables_syncing(const std::string &server);
void sync_worker_starting(const std::string &server);
void sync_worker_streaming(const std::string &server);
// A batch committed: the applied position and counts, and the source's head
// when known (file empty: not known).
struct SyncBatch {
  BinlogPosition applied;
  std::string applied_gtid;
  uint32_t applied_time = 0;  // the last transaction's binlog time (0: none yet)
  int64_t transactions = 0, rows = 0;
  double lag_seconds = 0;
  BinlogPosition source_head;
};
void sync_batch_applied(const std::string &server, const SyncBatch &b);
void sync_table_counts(const std::string &server, const std::string &source_table, int64_t inserted,
                       int64_t updated, int64_t deleted);
void sync_table_pause(const std::string &server, const std::string &source_table,
                      const std::string &reason, const std::string &hint);

// PostgreSQL calls, as the worker leaves (each in a transaction of its own;
// an error is only logged): the error in syncs with the state it leaves; or
// the sync marked stopped.
void pg_sync_record_error(const char *server, const char *message, const char *state);
void pg_sync_record_stopped(const char *server);
// PostgreSQL calls (SPI connected): each sync wanted running, with the role
// that started it.
void pg_syncs_wanted_running(void (*each)(const char *server, Oid role));

}  // namespace minibar::pg
