#include "core/convert/number_parse.hpp"
#include "pg/sync/worker.hpp"

#include <csignal>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/binlog/ddl.hpp"
#include "core/binlog/event.hpp"
#include "core/binlog/stream.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/log.hpp"
#include "pg/base/memory.hpp"
#include "pg/remote/source.hpp"
#include "pg/base/bgworker.hpp"
#include "pg/base/spi.hpp"
#include "pg/sync/apply.hpp"
#include "pg/sync/launcher.hpp"
#include "pg/sync/sync_record.hpp"

namespace minibar::pg {

namespace {

struct SyncArgs {
  Oid dboid;
  Oid roleoid;
  TransactionId creator;
  char server[NAMEDATALEN];
};

volatile sig_atomic_t got_sigterm = 0;  // stop (sync_stop, shutdown)
volatile sig_atomic_t got_sigint = 0;   // restart (pg_cancel_backend)

void on_sigterm(SIGNAL_ARGS) {
  int save = errno;
  got_sigterm = 1;
  SetLatch(MyLatch);
  errno = save;
}

void on_sigint(SIGNAL_ARGS) {
  int save = errno;
  got_sigint = 1;
  SetLatch(MyLatch);
  errno = save;
}

constexpr int kHeartbeatMs = 100;     // an idle source still ends a batch within 0.1 s
constexpr long kBatchMs = 100;        // a batch commits after this long...
constexpr int64_t kBatchRows = 5000;  // ...or this many rows
constexpr long kStatusMs = 1000;      // status and position at least this often

bool position_before(const BinlogPosition &a, const BinlogPosition &b) {
  return a.file < b.file || (a.file == b.file && a.pos < b.pos);
}

std::string pos_text(const BinlogPosition &p) {
  return p.file + ":" + std::to_string(p.pos);
}

// Leaves the worker: restart (exit 1, the postmaster starts it again) or stop;
// unserved: stop because minibar_migrate.sync_databases no longer names this
// database (the sync stays wanted running, for the launcher).
struct WorkerExit {
  bool restart;
  bool unserved = false;
};

// This worker's database, read once at start (for the served check).
char worker_dbname[NAMEDATALEN] = "";

struct SyncedTable {
  SyncTableSpec spec;
  BinlogPosition start;
  std::unique_ptr<TableApplier> applier;
  bool paused = false;
  int64_t inserted = 0, updated = 0, deleted = 0;  // in the open batch
};

class SyncWorker {
 public:
  explicit SyncWorker(const SyncArgs &args) : args_(args), server_(args.server) {}
  void run();

 private:
  bool load();
  void stream_events(BinlogStream &stream);
  void handle_rows(const BinlogEvent &ev);
  void handle_ddl(const QueryInfo &q, const StatementInfo &info);
  void end_transaction();
  void open_batch();
  void commit_batch(bool idle);
  void maybe_commit();
  void pause(SyncedTable &t, const std::string &reason, const std::string &hint);
  void poll_source_head();
  void check_signals();

  SyncArgs args_;
  std::string server_;
  std::string source_db_;
  uint32_t replica_id_ = 0;
  SourceConfig *cfg_ = nullptr;
  MysqlOptions opts_;
  MemoryContext keep_ = nullptr;
  std::map<std::string, SyncedTable> tables_;
  std::map<uint64_t, SyncedTable *> by_id_;  // table id -> synced table (nullptr: not ours)
  std::map<uint64_t, TableMap> maps_;
  RowImage before_, after_;

  bool checksum_ = false;
  BinlogPosition cur_;        // after the last event read
  BinlogPosition txn_start_;  // where the transaction being read began
  BinlogPosition applied_;    // after the last transaction read to its end
  BinlogPosition persisted_;  // applied position last committed
  std::string gtid_, applied_gtid_;
  uint32_t txn_time_ = 0, applied_time_ = 0;
  bool in_txn_ = false, standalone_ = false;

  bool batch_open_ = false;
  int64_t batch_txns_ = 0, batch_rows_ = 0;
  TimestampTz batch_started_ = 0, last_status_ = 0, last_head_poll_ = 0;
  BinlogPosition source_head_;
  std::unique_ptr<MysqlConnection> head_conn_;
  std::string current_table_;
};

bool SyncWorker::load() {
  bgw_xact_begin();
  std::optional<SyncResume> s = sync_load_running(server_);
  if (!s) {
    bgw_xact_commit();
    return false;
  }
  source_db_ = s->source_db;
  replica_id_ = s->replica_id;
  cur_ = s->position;
  applied_ = persisted_ = cur_;
  applied_gtid_ = s->applied_gtid;
  sync_worker_starting(server_);

  for (auto &[name, t] : sync_tables_syncing(server_)) {
    SyncedTable &st = tables_[name];
    st.spec = std::move(t.spec);
    st.start = t.start;
  }

  {
    MemoryContextScope in_top(TopMemoryContext);
    pg_call([&] {
      keep_ = AllocSetContextCreate(TopMemoryContext, "minibar sync", ALLOCSET_DEFAULT_SIZES);
      cfg_ = static_cast<SourceConfig *>(palloc0(sizeof(SourceConfig)));
      source_config(get_foreign_server_oid(server_.c_str(), false), cfg_);
    });
  }
  if (cfg_->dialect != Dialect::Mysql)
    throw Error(sqlstate::kFeatureNotSupported,
                "server \"" + server_ + "\" is not a MySQL/MariaDB server");
  opts_ = mysql_client_options(cfg_->mysql);
  for (auto &[name, st] : tables_) {
    try {
      st.applier = std::make_unique<TableApplier>(st.spec, cfg_->mysql_tz,
                                                  cfg_->mysql.zero_dates_error, keep_);
    } catch (const TableDiverged &e) {
      batch_open_ = true;  // the load transaction is open: pause within it
      pause(st, e.what(), e.hint());
      batch_open_ = false;
    }
  }
  bgw_xact_commit();
  return true;
}

void SyncWorker::open_batch() {
  if (batch_open_) return;
  bgw_xact_begin();
  batch_open_ = true;
  batch_started_ = GetCurrentTimestamp();
}

void SyncWorker::poll_source_head() {
  // Under a steady load no heartbeat comes: ask the source where its head is.
  TimestampTz now = GetCurrentTimestamp();
  if (!TimestampDifferenceExceeds(last_head_poll_, now, kStatusMs)) return;
  last_head_poll_ = now;
  try {
    if (!head_conn_ || head_conn_->broken()) head_conn_ = MysqlConnection::connect(opts_);
    auto r = head_conn_->query("SHOW MASTER STATUS");
    if (!r.empty() && r[0].size() >= 2 && r[0][0] && r[0][1])
      source_head_ = {*r[0][0], static_cast<uint64_t>(to_uint64(*r[0][1]))};
  } catch (const Error &) {
    head_conn_.reset();  // the stream reports real trouble
  }
}

void SyncWorker::commit_batch(bool idle) {
  open_batch();
  if (!idle) poll_source_head();
  // Binlog timestamps have whole seconds: under load the lag reads 0 or more.
  double lag = 0;
  if (!idle && applied_time_) {
    lag = static_cast<double>(time(nullptr)) - applied_time_;
    if (lag < 0) lag = 0;
  }
  SyncBatch b;
  b.applied = applied_;
  b.applied_gtid = applied_gtid_;
  b.applied_time = applied_time_;
  b.transactions = batch_txns_;
  b.rows = batch_rows_;
  b.lag_seconds = lag;
  b.source_head = source_head_;
  sync_batch_applied(server_, b);
  if (b.rows > 0 && log_phase_wanted())
    log_phase("sync of server " + log_name(server_) + ": batch applied, " +
              std::to_string(b.transactions) + " transaction(s), " + std::to_string(b.rows) +
              " row(s), position " + pos_text(applied_));
  for (auto &[name, t] : tables_) {
    if (!t.inserted && !t.updated && !t.deleted) continue;
    sync_table_counts(server_, name, t.inserted, t.updated, t.deleted);
    t.inserted = t.updated = t.deleted = 0;
  }
  bgw_xact_commit();
  batch_open_ = false;
  batch_txns_ = batch_rows_ = 0;
  persisted_ = applied_;
  last_status_ = GetCurrentTimestamp();
}

void SyncWorker::maybe_commit() {
  TimestampTz now = GetCurrentTimestamp();
  if (batch_open_) {
    if (batch_rows_ >= kBatchRows || TimestampDifferenceExceeds(batch_started_, now, kBatchMs))
      commit_batch(false);
  } else if ((applied_.pos != persisted_.pos || applied_.file != persisted_.file) &&
             TimestampDifferenceExceeds(last_status_, now, kStatusMs)) {
    commit_batch(false);  // transactions of other tables: keep the position current
  }
}

void SyncWorker::pause(SyncedTable &t, const std::string &reason, const std::string &hint) {
  open_batch();
  t.paused = true;
  std::string h =
      hint.empty() ? "Migrate the table again (migrate_table), then call sync_start again." : hint;
  sync_table_pause(server_, t.spec.source_table, reason + " (binlog " + pos_text(cur_) + ")", h);
  pg_call([&] {
    ereport(WARNING, (errmsg("minibar_migrate sync of server \"%s\": table %s paused: %s",
                             server_.c_str(), t.spec.source_table.c_str(), reason.c_str())));
  });
}

void SyncWorker::end_transaction() {
  in_txn_ = false;
  applied_ = cur_;
  applied_gtid_ = gtid_;
  applied_time_ = txn_time_;
  batch_txns_++;
  maybe_commit();
}

void SyncWorker::handle_rows(const BinlogEvent &ev) {
  RowsEvent re = parse_rows_event(ev.header.type, ev.body);
  auto it = by_id_.find(re.table_id);
  if (it == by_id_.end() || !it->second) return;
  SyncedTable &t = *it->second;
  if (t.paused || position_before(txn_start_, t.start)) return;  // in its copy already
  const TableMap &map = maps_.at(re.table_id);
  open_batch();
  current_table_ = t.spec.source_table;
  size_t off = 0;
  while (off < re.rows.size()) {
    check_signals();
    if (re.change == RowChange::Insert) {
      decode_row_image(map, re.present, re.rows, &off, &after_);
      t.applier->apply(RowChange::Insert, nullptr, &after_);
      t.inserted++;
    } else if (re.change == RowChange::Delete) {
      decode_row_image(map, re.present, re.rows, &off, &before_);
      t.applier->apply(RowChange::Delete, &before_, nullptr);
      t.deleted++;
    } else {
      decode_row_image(map, re.present, re.rows, &off, &before_);
      decode_row_image(map, re.present_after, re.rows, &off, &after_);
      t.applier->apply(RowChange::Update, &before_, &after_);
      t.updated++;
    }
    batch_rows_++;
  }
  current_table_.clear();
}

void SyncWorker::handle_ddl(const QueryInfo &q, const StatementInfo &info) {
  const std::string &verb = info.verb;
  // Statements that change neither rows nor columns.
  if (verb == "CREATE INDEX" || verb == "DROP INDEX" || verb == "ANALYZE TABLE" ||
      verb == "OPTIMIZE TABLE" || verb == "REPAIR TABLE" || verb == "CREATE TRIGGER" ||
      verb == "DROP TRIGGER")
    return;
  bool table_verb = verb == "ALTER TABLE" || verb == "DROP TABLE" || verb == "RENAME TABLE" ||
                    verb == "TRUNCATE TABLE" || verb == "CREATE TABLE";
  bool unknown_tables = info.tables.empty() && !info.whole_schema && table_verb;
  for (auto &[name, t] : tables_) {
    if (t.paused) continue;
    bool hit = unknown_tables;
    if (info.whole_schema)
      for (const std::string &s : info.schemas)
        hit = hit || ascii_lower(s.empty() ? std::string(q.schema) : s) == ascii_lower(source_db_);
    hit = hit || statement_touches(info, q.schema, source_db_, name);
    if (!hit) continue;
    std::string stmt(q.statement.substr(0, 200));
    pause(t, verb + " on the source: " + stmt,
          verb == "TRUNCATE TABLE"
              ? "TRUNCATE the target table too (or migrate the table again), then call sync_start "
                "again."
              : "Apply the same change to the target table and migrate it again (migrate_table), "
                "then call sync_start again.");
  }
}

void SyncWorker::check_signals() {
  if (got_sigterm) throw WorkerExit{false};
  if (got_sigint) throw WorkerExit{true};
  if (ConfigReloadPending) {
    ConfigReloadPending = false;
    bool served = true;
    pg_call([&] {
      ProcessConfigFile(PGC_SIGHUP);
      served = sync_database_served(worker_dbname);
    });
    if (!served) throw WorkerExit{false, true};
  }
}

void SyncWorker::stream_events(BinlogStream &stream) {
  uint64_t events = 0;
  for (;;) {
    check_signals();
    if ((++events & 255) == 0) {
      check_for_interrupts();
      if (!PostmasterIsAlive()) throw WorkerExit{false};
    }
    std::string_view raw = stream.next();
    BinlogEvent ev = split_binlog_event(raw, checksum_);
    uint8_t type = ev.header.type;
    if (type == binlog::kRotate) {
      RotateInfo r = parse_rotate(ev.body);
      cur_ = {r.file, r.position};
      continue;
    }
    if (type == binlog::kHeartbeat) {
      source_head_ = {std::string(parse_heartbeat(ev.body)), ev.header.log_pos};
      if (!in_txn_) {
        if (batch_open_ || position_before(persisted_, applied_) ||
            TimestampDifferenceExceeds(last_status_, GetCurrentTimestamp(), kStatusMs))
          commit_batch(true);
      }
      continue;
    }
    BinlogPosition before = cur_;
    if (ev.header.log_pos != 0 && !(ev.header.flags & binlog::kArtificialFlag))
      cur_.pos = ev.header.log_pos;
    switch (type) {
      case binlog::kFormatDescription:
        checksum_ = format_description_has_checksum(ev.body);
        break;
      case binlog::kGtid: {
        GtidInfo g = parse_gtid(ev.body);
        in_txn_ = true;
        standalone_ = g.flags & binlog::kGtidStandalone;
        txn_start_ = before;
        txn_time_ = ev.header.timestamp;
        gtid_ = std::to_string(g.domain) + "-" + std::to_string(ev.header.server_id) + "-" +
                std::to_string(g.sequence);
        break;
      }
      case binlog::kTableMap: {
        TableMap m = parse_table_map(ev.body);
        SyncedTable *t = nullptr;
        if (ascii_lower(m.schema) == ascii_lower(source_db_)) {
          auto it = tables_.find(m.table);
          if (it != tables_.end() && !it->second.paused) t = &it->second;
        }
        by_id_[m.table_id] = t;
        if (t && !position_before(txn_start_, t->start)) {
          try {
            t->applier->bind(m);  // ids change when the source reopens the table
          } catch (const TableDiverged &e) {
            pause(*t, e.what(), e.hint());
            by_id_[m.table_id] = nullptr;
            break;
          }
          maps_[m.table_id] = std::move(m);
        }
        break;
      }
      case binlog::kXid:
        end_transaction();
        break;
      case binlog::kQuery: {
        QueryInfo q = parse_query(ev.body);
        StatementInfo info = classify_statement(q.statement);
        if (info.kind == StatementKind::Begin) {
          if (!in_txn_) {
            in_txn_ = true;
            txn_start_ = before;
            txn_time_ = ev.header.timestamp;
          }
        } else if (info.kind == StatementKind::Commit || info.kind == StatementKind::Rollback) {
          end_transaction();
        } else {
          if (info.kind == StatementKind::Ddl) handle_ddl(q, info);
          if (standalone_ || !in_txn_) end_transaction();
        }
        break;
      }
      default:
        if (is_rows_event(type))
          handle_rows(ev);
        else if (type >= binlog::kQueryCompressed && type <= binlog::kDeleteRowsCompressedV1)
          throw Error(sqlstate::kFeatureNotSupported,
                      "the source writes compressed binlog events, which sync cannot read", "",
                      "Set log_bin_compress = OFF on the source.");
        break;
    }
  }
}

void SyncWorker::run() {
  if (!load()) throw WorkerExit{false};
  pg_call([&] {
    pgstat_report_activity(STATE_RUNNING, psprintf("sync of server %s", server_.c_str()));
  });
  log_phase("sync of server " + log_name(server_) + ": connecting, " +
            std::to_string(tables_.size()) + " table(s)");
  BinlogStream stream(opts_, cur_, replica_id_, kHeartbeatMs);
  log_phase("sync of server " + log_name(server_) + ": connected, position " + pos_text(cur_));
  pg_call([&] {
    ereport(LOG, (errmsg("minibar_migrate sync of server \"%s\": streaming from %s",
                         server_.c_str(), pos_text(cur_).c_str())));
  });
  bgw_xact_begin();
  sync_worker_streaming(server_);
  bgw_xact_commit();
  last_status_ = GetCurrentTimestamp();
  try {
    stream_events(stream);
  } catch (const WorkerExit &) {
    // Stopping: a batch that ends on a transaction boundary is kept.
    if (batch_open_ && !in_txn_) {
      commit_batch(false);
    } else if (batch_open_) {
      bgw_xact_abort();
      batch_open_ = false;
    }
    throw;
  } catch (const TableDiverged &e) {
    // Undo the batch, pause the table in a transaction of its own, and start
    // again from the committed position (the table's changes are skipped).
    bgw_xact_abort();
    batch_open_ = false;
    auto it = tables_.find(current_table_);
    if (it != tables_.end()) {
      pause(it->second, e.what(), e.hint());
      bgw_xact_commit();
      batch_open_ = false;
    }
    throw WorkerExit{true};
  } catch (const PgError &e) {
    std::string state = sqlstate_of(e.edata());
    auto it = tables_.find(current_table_);
    if ((state[0] == '2' && (state[1] == '2' || state[1] == '3')) && it != tables_.end()) {
      std::string msg = e.what();
      bgw_xact_abort();
      batch_open_ = false;
      pause(it->second, "applying a change failed: " + msg, "");
      bgw_xact_commit();
      batch_open_ = false;
      throw WorkerExit{true};
    }
    throw;
  }
}

// PostgreSQL calls: waits until the transaction that wrote the sync has ended.
void wait_for_creator(TransactionId xid) {
  if (!TransactionIdIsValid(xid)) return;
  for (int i = 0; i < 6000 && TransactionIdIsInProgress(xid) && !got_sigterm; i++) {
    (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50,
                    PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
  }
}

}  // namespace

BackgroundWorkerHandle *sync_launch(Oid dboid, Oid roleoid, const char *server,
                                    TransactionId creator) {
  BackgroundWorker w;
  // An error exit (source gone, restart asked) retries after 1 s.
  bgw_describe(&w, "minibar_sync_main", "minibar_migrate sync", 1);
  snprintf(w.bgw_name, sizeof w.bgw_name, "minibar_migrate sync %s", server);
  SyncArgs args;
  std::memset(&args, 0, sizeof args);
  args.dboid = dboid;
  args.roleoid = roleoid;
  args.creator = creator;
  strlcpy(args.server, server, sizeof args.server);
  static_assert(sizeof(SyncArgs) <= BGW_EXTRALEN, "sync arguments fit bgw_extra");
  std::memcpy(w.bgw_extra, &args, sizeof args);
  w.bgw_notify_pid = MyProcPid;
  BackgroundWorkerHandle *h = nullptr;
  if (!RegisterDynamicBackgroundWorker(&w, &h)) return nullptr;
  return h;
}

}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PGDLLEXPORT void minibar_sync_main(Datum arg);

// The sync worker. Exits 0 when stopped (SIGTERM: sync_stop, shutdown) or
// when its sync is gone or stopped; 1 after an error or on SIGINT, and the
// postmaster starts it again a second later, from the committed position.
void minibar_sync_main(Datum) {
  SyncArgs args;
  std::memcpy(&args, MyBgworkerEntry->bgw_extra, sizeof args);
  pqsignal(SIGTERM, on_sigterm);
  pqsignal(SIGINT, on_sigint);
  pqsignal(SIGHUP, SignalHandlerForConfigReload);
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnectionByOid(args.dboid, args.roleoid, 0);
  pgstat_report_appname("minibar_migrate sync");
  SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION);
  StartTransactionCommand();
  if (const char *name = get_database_name(MyDatabaseId))
    strlcpy(worker_dbname, name, sizeof worker_dbname);
  CommitTransactionCommand();
  wait_for_creator(args.creator);
  bgw_guarded_main(
      [&] {
        bool restart = false, unserved = !sync_database_served(worker_dbname);
        if (!unserved) {
          try {
            SyncWorker worker(args);
            worker.run();
          } catch (const WorkerExit &e) {
            restart = e.restart;
            unserved = e.unserved;
          }
        }
        if (unserved) {
          // Exit 0: no retry; the launcher starts it when the database is named again.
          pg_call([&] {
            ereport(LOG, (errmsg("minibar_migrate sync of server \"%s\" stops: database \"%s\" "
                                 "is not in minibar_migrate.sync_databases",
                                 args.server, worker_dbname)));
          });
          pg_sync_record_error(args.server,
                               "the database is not in minibar_migrate.sync_databases: the sync "
                               "resumes once it is named there (and the configuration reloaded)",
                               "retrying");
          return 0;
        }
        if (restart) {
          pg_sync_record_error(
              args.server, "restarted (a table was paused or a restart was asked for)", "starting");
          return 1;
        }
        pg_sync_record_stopped(args.server);
        log_phase("sync of server " + log_name(args.server) + ": stopped");
        return 0;
      },
      [&](ErrorData *e) {
        const char *msg = e->message ? e->message : "unknown error";
        ereport(LOG, (errmsg("minibar_migrate sync of server \"%s\" failed: %s", args.server, msg),
                      errhint("It starts again in a second, from the last applied position.")));
        pg_sync_record_error(args.server, msg, "retrying");
      });
}

}  // extern "C"
