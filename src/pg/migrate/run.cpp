// run_migration: the calling backend plans and runs the tasks itself, or
// launches background workers and waits for them.
#include "core/convert/number_parse.hpp"
#include "pg/migrate/run.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "core/plan/migrate_plan.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/memory.hpp"
#include "pg/base/bgworker.hpp"
#include "pg/base/spi.hpp"
#include "pg/migrate/progress.hpp"

namespace minibar::pg {

namespace {

constexpr int kMaxWorkers = 64;

enum class WorkerMode : int { Run = 0, Finalize = 1 };

struct WorkerSlot {
  bool finished;  // left cleanly: its tasks are done or the run stopped
  // The binlog position of its snapshot, published while the fence is open
  // (has_position false: the source reported none).
  bool has_position;
  int64_t binlog_pos;
  char binlog_file[256];
};

// Aligned snapshots: the planner holds the source's commits (Open) while
// every worker opens its snapshot, then lets go (Done). Workers open theirs
// when the fence is no longer Pending.
enum : uint32 { kFencePending = 0, kFenceOpen = 1, kFenceDone = 2 };
// How long the planner holds the source's commits waiting for the others.
constexpr int kFenceSeconds = 10;

// Shared by the caller and its workers (one DSM segment per call).
struct RunShared {
  slock_t mutex;
  Oid dbid, userid;
  int nworkers;
  WorkerMode mode;
  bool resumable;
  pg_atomic_uint64 run_id;  // 0 until planned (or the run being resumed)
  pg_atomic_uint32 planned;
  pg_atomic_uint32 stop;
  pg_atomic_uint32 launched;  // workers the caller started; 0 until it knows
  pg_atomic_uint32 fence;     // kFence*
  pg_atomic_uint32 opened;    // workers other than the planner with their snapshot open
  // The first error of a worker.
  bool failed;
  int failed_worker;
  char sqlstate[6];
  char message[2048];
  char detail[1024];
  char hint[1024];
  // The request (Run) or the reason (Finalize, in message).
  char kind[16];
  char server[NAMEDATALEN];
  char target_schema[NAMEDATALEN];
  char target_table[NAMEDATALEN];
  char remote_table[1024];
  char options[8192];
  char settings[4096];  // the caller's settings the work depends on: "name\0value\0...\0"
  WorkerSlot slots[kMaxWorkers];
};

// Settings a worker takes from the caller (as parallel workers do), so that a
// run behaves the same with and without workers.
const char *const kInheritedSettings[] = {"maintenance_work_mem",
                                          "work_mem",
                                          "synchronous_commit",
                                          "max_parallel_maintenance_workers",
                                          "TimeZone",
                                          "DateStyle",
                                          "IntervalStyle",
                                          "lock_timeout",
                                          "default_tablespace",
                                          "temp_tablespaces"};

// PostgreSQL calls: the caller's values into sh->settings.
void pg_save_settings(RunShared *sh) {
  size_t at = 0;
  for (const char *name : kInheritedSettings) {
    const char *value = GetConfigOption(name, true, false);
    if (!value) continue;
    size_t need = strlen(name) + strlen(value) + 2;
    if (at + need + 1 > sizeof sh->settings) break;
    memcpy(sh->settings + at, name, strlen(name) + 1);
    at += strlen(name) + 1;
    memcpy(sh->settings + at, value, strlen(value) + 1);
    at += strlen(value) + 1;
  }
  sh->settings[at] = '\0';
}

// PostgreSQL calls, in a transaction (tablespace names are looked up).
void pg_apply_settings(const RunShared *sh) {
  const char *p = sh->settings;
  while (*p) {
    const char *name = p;
    const char *value = name + strlen(name) + 1;
    SetConfigOption(name, value, PGC_USERSET, PGC_S_SESSION);
    p = value + strlen(value) + 1;
  }
}

void copy_field(char *dst, size_t size, const std::string &src, const char *what) {
  if (src.size() >= size)
    throw Error(sqlstate::kInvalidParameterValue,
                std::string(what) + " is too long for a background-worker run (" +
                    std::to_string(src.size()) + " bytes, at most " + std::to_string(size - 1) +
                    ")");
  std::memcpy(dst, src.c_str(), src.size() + 1);
}

// ---------------------------------------------------------------- worker side

// Sleeps up to ms or until the latch is set; throws on interrupts.
void nap(long ms) {
  pg_call([&] {
    (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, ms,
                    PG_WAIT_EXTENSION);
    ResetLatch(MyLatch);
    CHECK_FOR_INTERRUPTS();
  });
}

SourceConfig *worker_source_config(const char *server) {
  SourceConfig *cfg = nullptr;
  // It outlives the transaction: the source is used by every task.
  MemoryContextScope in_top(TopMemoryContext);
  pg_call([&] {
    cfg = static_cast<SourceConfig *>(palloc0(sizeof(SourceConfig)));
    source_config(get_foreign_server_oid(server, false), cfg);
  });
  return cfg;
}

// The source's binlog position in a worker's slot (see WorkerSlot).
void publish_position(RunShared *sh, int index, MigrationSource &src) {
  std::string why;
  std::optional<MigrationSource::Position> p = src.snapshot_position(&why);
  WorkerSlot &slot = sh->slots[index];
  slot.has_position = p.has_value();
  if (p) {
    slot.binlog_pos = p->pos;
    strlcpy(slot.binlog_file, p->file.c_str(), sizeof slot.binlog_file);
  }
  pg_write_barrier();
}

// The planner, its own snapshot open and the fence open: waits until every
// other worker has opened its snapshot, and says why the snapshots do not
// share one binlog position ("" when they do). fence_note: why the source's
// commits could not be held (then equal positions still prove the snapshots
// equal, as on a source nobody writes to). Returns nullopt when the run stops.
std::optional<std::string> await_snapshots(RunShared *sh, const std::string &fence_note) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kFenceSeconds);
  uint32 launched = 0;
  for (;;) {
    if (pg_atomic_read_u32(&sh->stop)) return std::nullopt;
    launched = pg_atomic_read_u32(&sh->launched);
    if (launched && pg_atomic_read_u32(&sh->opened) + 1 >= launched) break;
    if (std::chrono::steady_clock::now() >= deadline)
      return "not every background worker opened its snapshot within " +
             std::to_string(kFenceSeconds) + " s: no single position for change data capture";
    nap(1);
  }
  pg_read_barrier();
  const WorkerSlot &own = sh->slots[0];
  if (!own.has_position) return std::string();  // no binlog: snapshot_position says why
  for (uint32 i = 1; i < launched; i++) {
    const WorkerSlot &w = sh->slots[i];
    if (!w.has_position || w.binlog_pos != own.binlog_pos ||
        std::strcmp(w.binlog_file, own.binlog_file) != 0)
      return fence_note.empty()
                 ? std::string(
                       "the background workers' snapshots read different binlog "
                       "positions: no single position for change data capture")
                 : fence_note +
                       ", and the workers' snapshots read different binlog positions: "
                       "no single position for change data capture";
  }
  return std::string();
}

void worker_finalize(RunShared *sh) {
  const int64_t run_id = static_cast<int64_t>(pg_atomic_read_u64(&sh->run_id));
  bgw_xact_begin();
  if (sh->resumable)
    run_failed(run_id, sh->message);
  else
    (void)rollback_run(run_id, sh->message, true);  // the caller holds the run's lock for us
  bgw_xact_commit();
}

void worker_run(RunShared *sh, int index) {
  if (sh->mode == WorkerMode::Finalize) {
    worker_finalize(sh);
    return;
  }
  const bool database = std::strcmp(sh->kind, "database") == 0;
  bgw_xact_begin();
  pg_call([&] { pg_apply_settings(sh); });
  SourceConfig *cfg = worker_source_config(sh->server);
  int64_t run_id = static_cast<int64_t>(pg_atomic_read_u64(&sh->run_id));
  std::unique_ptr<MigrationSource> src;
  if (index == 0 && run_id == 0) {
    // The planner: opens every worker's snapshot at one point of the source,
    // creates the targets and the tasks, commits, and lets the others start.
    MigrateOptions opts = parse_migrate_options(sh->options, database);
    std::string position_note;
    {
      std::string fence_note;
      std::unique_ptr<CommitFence> fence;
      const bool align = cfg->dialect == Dialect::Mysql && sh->nworkers > 1;
      if (align) fence = hold_source_commits(*cfg, kFenceSeconds, &fence_note);
      const auto held_since = std::chrono::steady_clock::now();
      src = open_source(*cfg);
      if (align) {
        publish_position(sh, 0, *src);
        pg_atomic_write_u32(&sh->fence, kFenceOpen);
        std::optional<std::string> note = await_snapshots(sh, fence_note);
        if (!note) return;
        position_note = *note;
      }
      pg_atomic_write_u32(&sh->fence, kFenceDone);
      if (fence) {
        fence.reset();  // the source's commits go on
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - held_since)
                .count();
        pg_call([&] {
          ereport(LOG, (errmsg("minibar_migrate: held the commits of server \"%s\" for %.1f ms "
                               "while %u workers opened their snapshots%s%s",
                               sh->server, ms, pg_atomic_read_u32(&sh->launched),
                               position_note.empty() ? "" : ": ", position_note.c_str())));
        });
      }
    }
    RunRequest req;
    req.kind = sh->kind;
    req.server = sh->server;
    req.target_schema = sh->target_schema;
    req.target_table = sh->target_table;
    req.remote_table = sh->remote_table;
    req.options_json = sh->options;
    req.workers = sh->nworkers;
    req.resumable = sh->resumable;
    req.position_note = position_note;
    run_id = plan_run(req, opts, *src, true);
    bgw_xact_commit();
    pg_atomic_write_u64(&sh->run_id, static_cast<uint64>(run_id));
    pg_atomic_write_u32(&sh->planned, 1);
    bgw_xact_begin();
  } else if (index == 0) {
    // Resuming: the run is running again (its tasks say what is left). The
    // tasks left are read from new snapshots, later than the recorded
    // position: change data capture from it would apply changes twice.
    run_resumed(run_id);
    // What was committed before must still be the source's rows: changed
    // chunks are copied again (or noted) before any worker goes on. The
    // others wait for the fence.
    src = open_source(*cfg);
    (void)recheck_committed_copies(run_id, *src);
    bgw_xact_commit();
    pg_atomic_write_u32(&sh->fence, kFenceDone);
    bgw_xact_begin();
  } else {
    bgw_xact_commit();
    // The snapshot opens while the planner holds the source's commits.
    while (pg_atomic_read_u32(&sh->fence) == kFencePending) {
      if (pg_atomic_read_u32(&sh->stop)) return;
      nap(1);
    }
    src = open_source(*cfg);
    if (cfg->dialect == Dialect::Mysql && pg_atomic_read_u32(&sh->fence) == kFenceOpen) {
      publish_position(sh, index, *src);
      pg_atomic_fetch_add_u32(&sh->opened, 1);
    }
    while (!pg_atomic_read_u32(&sh->planned)) {
      if (pg_atomic_read_u32(&sh->stop)) return;
      nap(10);
    }
    run_id = static_cast<int64_t>(pg_atomic_read_u64(&sh->run_id));
    bgw_xact_begin();
  }
  std::optional<RunInfo> run = run_load(run_id);
  if (!run)
    throw Error(sqlstate::kInternal,
                "run " + std::to_string(run_id) + " is not visible to the worker");
  MigrateOptions opts = parse_migrate_options(run->options, run->kind == "database");
  // Trust in the targets is the current call's to give, also when it resumes
  // a run planned with other options: the tables may have changed since.
  opts.trust_target = parse_migrate_options(sh->options, database).trust_target;
  bgw_xact_commit();
  if (!src) src = open_source(*cfg);
  while (!pg_atomic_read_u32(&sh->stop)) {
    bgw_xact_begin();
    TaskOutcome out = run_next_task(run_id, *run, opts, *src);
    bgw_xact_commit();
    if (out == TaskOutcome::AllDone) break;
    if (out == TaskOutcome::NoneReady) nap(10);
  }
}

void record_error(RunShared *sh, int index, ErrorData *e) {
  SpinLockAcquire(&sh->mutex);
  if (!sh->failed) {
    sh->failed = true;
    sh->failed_worker = index;
    const char *state = unpack_sql_state(e->sqlerrcode);
    strlcpy(sh->sqlstate, state, sizeof sh->sqlstate);
    strlcpy(sh->message, e->message ? e->message : "unknown error", sizeof sh->message);
    strlcpy(sh->detail, e->detail ? e->detail : "", sizeof sh->detail);
    strlcpy(sh->hint, e->hint ? e->hint : "", sizeof sh->hint);
  }
  SpinLockRelease(&sh->mutex);
  pg_atomic_write_u32(&sh->stop, 1);
}

// ---------------------------------------------------------------- caller side

struct Launched {
  dsm_segment *seg = nullptr;
  RunShared *sh = nullptr;
  std::vector<BackgroundWorkerHandle *> handles;
};

BackgroundWorkerHandle *launch_one(dsm_segment *seg, int index) {
  BackgroundWorker w;
  bgw_describe(&w, "minibar_migrate_worker_main", "minibar_migrate worker", BGW_NEVER_RESTART);
  snprintf(w.bgw_name, sizeof w.bgw_name, "minibar_migrate worker %d", index);
  w.bgw_main_arg = UInt32GetDatum(dsm_segment_handle(seg));
  std::memcpy(w.bgw_extra, &index, sizeof index);
  w.bgw_notify_pid = MyProcPid;
  BackgroundWorkerHandle *h = nullptr;
  if (!RegisterDynamicBackgroundWorker(&w, &h)) return nullptr;
  return h;
}

// When the caller goes away (terminated, connection lost), its workers stop
// after their current step; the run stays unfinished for resume or rollback.
void caller_detached(dsm_segment *, Datum arg) {
  pg_atomic_write_u32(&reinterpret_cast<RunShared *>(DatumGetPointer(arg))->stop, 1);
}

// PostgreSQL calls: the segment and the workers (as many as there are slots).
void pg_launch(Launched *l, int nworkers) {
  l->seg = dsm_create(sizeof(RunShared), 0);
  l->sh = static_cast<RunShared *>(dsm_segment_address(l->seg));
  on_dsm_detach(l->seg, caller_detached, PointerGetDatum(l->sh));
  std::memset(l->sh, 0, sizeof(RunShared));
  SpinLockInit(&l->sh->mutex);
  pg_atomic_init_u64(&l->sh->run_id, 0);
  pg_atomic_init_u32(&l->sh->planned, 0);
  pg_atomic_init_u32(&l->sh->stop, 0);
  pg_atomic_init_u32(&l->sh->launched, 0);
  pg_atomic_init_u32(&l->sh->fence, kFencePending);
  pg_atomic_init_u32(&l->sh->opened, 0);
  l->sh->dbid = MyDatabaseId;
  l->sh->userid = GetUserId();
  l->sh->nworkers = nworkers;
  pg_save_settings(l->sh);
}

bool all_stopped(const Launched &l) {
  bool all = true;
  pg_call([&] {
    for (BackgroundWorkerHandle *h : l.handles) {
      pid_t pid;
      if (GetBackgroundWorkerPid(h, &pid) != BGWH_STOPPED) all = false;
    }
  });
  return all;
}

// The first worker that stopped without finishing its part, or -1.
int first_lost(const Launched &l) {
  int lost = -1;
  pg_call([&] {
    for (size_t i = 0; i < l.handles.size() && lost < 0; i++) {
      pid_t pid;
      if (GetBackgroundWorkerPid(l.handles[i], &pid) == BGWH_STOPPED && !l.sh->slots[i].finished &&
          !l.sh->failed)
        lost = static_cast<int>(i);
    }
  });
  return lost;
}

// True when a worker waits for a lock the caller's transaction holds: it
// would wait forever, and the caller for it.
bool workers_wait_for_caller(const Launched &l) {
  std::string pids = "{";
  pg_call([&] {
    for (BackgroundWorkerHandle *h : l.handles) {
      pid_t pid;
      if (GetBackgroundWorkerPid(h, &pid) == BGWH_STARTED) {
        if (pids.size() > 1) pids += ",";
        pids += std::to_string(pid);
      }
    }
  });
  pids += "}";
  auto r = spi_rows(
      "SELECT coalesce(bool_or(pg_catalog.pg_backend_pid() = ANY "
      "(pg_catalog.pg_blocking_pids(p))), "
      "false) FROM pg_catalog.unnest($1::pg_catalog.int4[]) AS p",
      {pids});
  return r.at(0).at(0).value_or("f") == "t";
}

// Stops every worker and waits until they are gone; for error handling, so
// it never throws (a PostgreSQL error here becomes a WARNING).
void stop_all(Launched &l) noexcept {
  if (!l.sh) return;
  pg_atomic_write_u32(&l.sh->stop, 1);
  try {
    pg_call([&] {
      HOLD_INTERRUPTS();
      for (BackgroundWorkerHandle *h : l.handles) TerminateBackgroundWorker(h);
      for (BackgroundWorkerHandle *h : l.handles) (void)WaitForBackgroundWorkerShutdown(h);
      RESUME_INTERRUPTS();
    });
  } catch (...) {
    // Interrupts were held: only a resource error can get here; the workers stop on their own.
  }
}

// PostgreSQL calls: one worker that marks the run failed (resumable) or
// rolls it back, waited for.
void pg_finalize(const RunShared *from, int64_t run_id, const char *reason) {
  HOLD_INTERRUPTS();
  dsm_segment *seg = dsm_create(sizeof(RunShared), 0);
  auto *sh = static_cast<RunShared *>(dsm_segment_address(seg));
  std::memset(sh, 0, sizeof(RunShared));
  SpinLockInit(&sh->mutex);
  pg_atomic_init_u64(&sh->run_id, static_cast<uint64>(run_id));
  pg_atomic_init_u32(&sh->planned, 1);
  pg_atomic_init_u32(&sh->stop, 0);
  sh->dbid = from->dbid;
  sh->userid = from->userid;
  sh->mode = WorkerMode::Finalize;
  sh->resumable = from->resumable;
  strlcpy(sh->message, reason, sizeof sh->message);
  BackgroundWorkerHandle *h = launch_one(seg, 0);
  if (h) (void)WaitForBackgroundWorkerShutdown(h);
  if (!h || !sh->slots[0].finished)
    ereport(WARNING,
            (errmsg("could not %s run %lld", from->resumable ? "mark as failed" : "roll back",
                    static_cast<long long>(run_id)),
             errhint("Call minibar_migrate.rollback(%lld) to drop what it created.",
                     static_cast<long long>(run_id))));
  dsm_detach(seg);
  RESUME_INTERRUPTS();
}

void finalize_run(const Launched &l, int64_t run_id, const std::string &reason) noexcept {
  if (run_id == 0) return;
  try {
    pg_call([&] { pg_finalize(l.sh, run_id, reason.c_str()); });
  } catch (...) {
    // Already failing with the run's own error; the run stays for rollback().
  }
}

// The latest run of the same migration that background workers left
// unfinished (failed with resume, or cut off by a restart): its committed
// steps are in the targets, so a new run must not load them again.
std::optional<int64_t> find_unfinished(const RunRequest &req) {
  return run_find_unfinished(req.kind, req.server, req.target_schema, req.remote_table);
}

// One run at a time per run id: a second session resuming it waits for nothing and fails.
void lock_run(int64_t run_id) {
  if (!try_lock_run(run_id))
    throw Error(sqlstate::kObjectInUse,
                "run " + std::to_string(run_id) + " is being run by another session");
}

// A run that ends with stale chunks (a resume found them changed in the
// source and could not copy them again) is done, but its targets lack the
// source's current rows there: the caller is told so, not only the log.
void warn_stale_chunks(int64_t run_id) {
  const auto rows = run_stale_lines(run_id);
  if (rows.empty()) return;
  std::string detail;
  constexpr size_t kShown = 10;
  for (size_t i = 0; i < rows.size() && i < kShown; i++)
    detail += (i ? "; " : "") + rows[i].first + ", " + rows[i].second;
  if (rows.size() > kShown) detail += "; and " + std::to_string(rows.size() - kShown) + " more";
  const std::string n = std::to_string(rows.size()), id = std::to_string(run_id);
  pg_call([&] {
    ereport(WARNING,
            (errmsg("run %s is done with %s stale chunk(s): they changed in the source after "
                    "they were copied and were not copied again",
                    id.c_str(), n.c_str()),
             errdetail("%s.", detail.c_str()),
             errhint("Their rows in the target are the source's as of the first copy. "
                     "minibar_migrate.run_report(%s) lists them (line 'stale'); "
                     "minibar_migrate.validate_checksums names the rows that differ.",
                     id.c_str())));
  });
}

int64_t run_in_caller(RunRequest &req, const MigrateOptions &opts, const SourceConfig &config) {
  std::unique_ptr<MigrationSource> src = open_source(config);
  const int64_t run_id = plan_run(req, opts, *src, false);
  std::optional<RunInfo> run = run_load(run_id);
  if (!run) throw Error(sqlstate::kInternal, "run " + std::to_string(run_id) + " vanished");
  RunNotices notices(opts);
  notices.start(run_id, false);
  ProgressTickScope ticking(&notices);  // the interval NOTICE also from inside a long copy
  for (;;) {
    TaskRow done;
    TaskOutcome out = run_next_task(run_id, *run, opts, *src, &done);
    if (out == TaskOutcome::AllDone) break;
    if (out == TaskOutcome::NoneReady)
      throw Error(sqlstate::kInternal,
                  "run " + std::to_string(run_id) + ": no task is ready, none is running");
    if (done.kind == "copy") notices.tables_copied(done.source_table);
    notices.tick();
  }
  return run_id;
}

int64_t run_in_workers(RunRequest &req, const MigrateOptions &opts, std::optional<int64_t> resume) {
  bool snapshot_per_xact = false;
  pg_call([&] { snapshot_per_xact = IsolationUsesXactSnapshot(); });
  if (snapshot_per_xact)
    throw Error(sqlstate::kActiveSqlTransaction,
                "migrating with background workers needs a READ COMMITTED transaction",
                "This transaction's snapshot would not see what the workers commit.",
                "Use {\"workers\": 0}, or run it outside a REPEATABLE READ / SERIALIZABLE "
                "transaction.");
  Launched l;
  pg_call([&] { pg_launch(&l, req.workers); });
  RunShared *sh = l.sh;
  copy_field(sh->kind, sizeof sh->kind, req.kind, "kind");
  copy_field(sh->server, sizeof sh->server, req.server, "server name");
  copy_field(sh->target_schema, sizeof sh->target_schema, req.target_schema, "target schema");
  copy_field(sh->target_table, sizeof sh->target_table, req.target_table, "target table");
  copy_field(sh->remote_table, sizeof sh->remote_table, req.remote_table, "remote table");
  copy_field(sh->options, sizeof sh->options, req.options_json, "options");
  sh->resumable = req.resumable;
  if (resume) {
    lock_run(*resume);
    pg_atomic_write_u64(&sh->run_id, static_cast<uint64>(*resume));
    pg_atomic_write_u32(&sh->planned, 1);
    // Worker 0 re-checks the committed chunks first, then lets the others go.
  }
  int64_t run_id = resume.value_or(0);
  try {
    pg_call([&] {
      for (int i = 0; i < req.workers; i++) {
        BackgroundWorkerHandle *h = launch_one(l.seg, i);
        if (!h) break;
        l.handles.push_back(h);
      }
    });
    pg_atomic_write_u32(&sh->launched, static_cast<uint32>(l.handles.size()));
    if (l.handles.empty())
      throw Error(sqlstate::kInsufficientResources,
                  "could not start a background worker for the migration",
                  "Every background-worker slot (max_worker_processes) is taken.",
                  "Raise max_worker_processes, or use {\"workers\": 0} to migrate in this "
                  "session.");
    RunNotices notices(opts);
    if (resume) notices.start(*resume, true);  // what earlier calls copied is not announced
    bool locked = resume.has_value();
    int naps = 0;
    while (!all_stopped(l)) {
      nap(50);
      // A worker gone without finishing (terminated, crashed) stops the run.
      if (first_lost(l) >= 0) {
        stop_all(l);
        break;
      }
      if (++naps % 10 == 0 && workers_wait_for_caller(l))
        throw Error(sqlstate::kActiveSqlTransaction,
                    "the background workers wait for locks this transaction holds",
                    "This transaction changed objects the run needs (e.g. created the target "
                    "schema) and has not committed.",
                    "Commit first, or use {\"workers\": 0} to migrate inside this transaction.");
      if (!locked && pg_atomic_read_u32(&sh->planned)) {
        run_id = static_cast<int64_t>(pg_atomic_read_u64(&sh->run_id));
        lock_run(run_id);
        locked = true;
        notices.start(run_id, false);
      }
      if (pg_atomic_read_u32(&sh->stop)) {
        stop_all(l);
        break;
      }
      // What the workers committed: tables copied (twice a second), the interval NOTICE.
      if (naps % 10 == 5) notices.tables_copied();
      notices.tick();
    }
    if (!run_id && pg_atomic_read_u32(&sh->planned))
      run_id = static_cast<int64_t>(pg_atomic_read_u64(&sh->run_id));
    // A resumable run keeps its committed chunks: say how many rows of them
    // are in tables that existed before (a rollback would not remove them).
    std::string kept;
    if (req.resumable && run_id)
      for (const auto &[table, rows] : rows_in_existing_targets(run_id))
        kept += " " + std::to_string(rows) + " rows of its committed chunks are in " + table +
                ", which existed before the run.";
    if (sh->failed) {
      std::string where = " (background worker " + std::to_string(sh->failed_worker) +
                          (run_id ? " of run " + std::to_string(run_id) : std::string()) + ")";
      throw Error(
          sh->sqlstate, std::string(sh->message) + where, sh->detail,
          std::string(sh->hint) + (req.resumable && run_id
                                       ? std::string(sh->hint[0] ? " " : "") +
                                             "The run kept its committed chunks: call again with "
                                             "{\"resume\": true} to continue it." +
                                             kept
                                       : std::string()));
    }
    // A worker that vanished without an error was terminated (or crashed).
    for (int i = 0; i < static_cast<int>(l.handles.size()); i++)
      if (!sh->slots[i].finished)
        throw Error(sqlstate::kAdminShutdown,
                    "background worker " + std::to_string(i) +
                        (run_id ? " of run " + std::to_string(run_id) : std::string()) +
                        " stopped before the run was done",
                    "It was terminated, or it crashed.",
                    req.resumable ? "Call again with {\"resume\": true} to continue the run." + kept
                                  : std::string("Nothing of the run was kept."));
    notices.tables_copied();  // the tables copied since the last look
  } catch (...) {
    stop_all(l);
    if (!run_id && pg_atomic_read_u32(&sh->planned))
      run_id = static_cast<int64_t>(pg_atomic_read_u64(&sh->run_id));
    std::string reason =
        sh->failed ? std::string(sh->message) : "stopped (cancelled or terminated)";
    finalize_run(l, run_id, reason);
    pg_call([&] { dsm_detach(l.seg); });
    throw;
  }
  pg_call([&] { dsm_detach(l.seg); });
  return run_id;
}

}  // namespace

int max_workers_setting = -1;
int max_workers_per_user_setting = -1;

void define_worker_settings() {
  DefineCustomIntVariable("minibar_migrate.max_workers",
                          "Background workers all migration runs may use together (-1: half of "
                          "max_worker_processes).",
                          nullptr, &max_workers_setting, -1, -1, kMaxWorkers, PGC_SUSET, 0, nullptr,
                          nullptr, nullptr);
  DefineCustomIntVariable(
      "minibar_migrate.max_workers_per_user",
      "Background workers one non-superuser's migration runs may use together (-1: a quarter "
      "of minibar_migrate.max_workers, at least 1).",
      nullptr, &max_workers_per_user_setting, -1, -1, kMaxWorkers, PGC_SUSET, 0, nullptr, nullptr,
      nullptr);
}

namespace {

// Migration workers running now: all of them, and the current user's.
std::pair<int, int> workers_running() {
  auto r = spi_rows(
      "SELECT count(*), count(*) FILTER (WHERE usesysid = $1::pg_catalog.oid) FROM "
      "pg_catalog.pg_stat_activity WHERE backend_type = 'minibar_migrate worker'",
      {std::to_string(GetUserId())});
  return {to_int(r.at(0).at(0).value_or("0")), to_int(r.at(0).at(1).value_or("0"))};
}

}  // namespace

int resolve_workers(const MigrateOptions &opts) {
  int wanted;
  if (opts.workers >= 0) {
    wanted = opts.workers;
  } else {
    bool in_block = false;
    pg_call([&] { in_block = IsTransactionBlock(); });
    if (in_block && !opts.resume) return 0;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    wanted = static_cast<int>(std::clamp<long>(cpus, 1, 4));
  }
  if (wanted == 0) return 0;
  bool super = false;
  int total_cap = 0, user_cap = 0;
  pg_call([&] {
    super = superuser();
    total_cap = max_workers_setting >= 0 ? max_workers_setting : max_worker_processes / 2;
    user_cap = max_workers_per_user_setting >= 0 ? max_workers_per_user_setting
                                                 : std::max(1, total_cap / 4);
  });
  total_cap = std::max(total_cap, 0);
  auto [running, mine] = workers_running();
  int allowed = total_cap - running;
  std::string why = "minibar_migrate.max_workers = " + std::to_string(total_cap) + ", " +
                    std::to_string(running) + " in use";
  if (!super && user_cap - mine < allowed) {
    allowed = user_cap - mine;
    why = "minibar_migrate.max_workers_per_user = " + std::to_string(user_cap) + ", " +
          std::to_string(mine) + " in use by this role";
  }
  if (allowed <= 0)
    throw Error(sqlstate::kInsufficientResources, "no migration worker is free (" + why + ")",
                "The caps keep background-worker slots for other users, parallel query and "
                "scheduled jobs.",
                "Wait for a running migration to end, use {\"workers\": 0} to migrate in this "
                "session, or (superuser) raise minibar_migrate.max_workers.");
  if (wanted > allowed) {
    pg_call([&] {
      ereport(NOTICE, (errmsg("workers lowered from %d to %d (%s)", wanted, allowed, why.c_str())));
    });
    wanted = allowed;
  }
  return wanted;
}

namespace {

// Whether the run may load into a table that exists already (a table run:
// its target; a database run: any table of the target schema).
bool existing_target(const RunRequest &req, const MigrateOptions &opts) {
  if (req.kind == "database")
    return !spi_rows(
                "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
                "c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') LIMIT 1",
                {req.target_schema})
                .empty();
  std::string name = req.target_table;
  if (name.empty())
    name = truncate_identifier(fold_identifier(req.remote_table, opts.rules.keep_case));
  return OidIsValid(find_table(req.target_schema, name));
}

// One run at a time per target schema (runs into one schema would race on
// its catalog and on each other's tables): a transaction-level advisory lock
// of the caller, held until its transaction ends, i.e. while its workers run.
void lock_target_schema(const std::string &schema) {
  auto r = spi_rows(
      "SELECT pg_catalog.pg_try_advisory_xact_lock(2037257730, pg_catalog.hashtext($1))", {schema});
  if (r.at(0).at(0).value_or("f") == "t") return;
  auto running = run_running_into(schema);
  std::string which =
      !running ? std::string("a run of another session or role")
               : "run " + std::to_string(running->first) + " (role " + running->second + ")";
  throw Error(sqlstate::kObjectInUse,
              "another migration into schema " + pg_quote_ident(schema) + " is running: " + which,
              "Only one run at a time may load into a schema.",
              "Wait for it to end (see minibar_migrate.progress), or cancel it.");
}

}  // namespace

int64_t run_migration(RunRequest &req, const MigrateOptions &opts, const SourceConfig &config) {
  lock_target_schema(req.target_schema);
  req.workers = resolve_workers(opts);
  // Workers were not asked for: into a table that exists, the run goes in
  // this transaction, so that a failure leaves the table as it was.
  if (req.workers > 0 && opts.workers < 0 && !opts.resume && existing_target(req, opts)) {
    pg_call([&] {
      ereport(NOTICE, (errmsg("migrating in this session (workers 0): the target exists, and a "
                              "failed run must leave it as it was")));
    });
    req.workers = 0;
  }
  req.resumable = opts.resume;
  if (opts.resume && req.workers == 0)
    throw Error(sqlstate::kInvalidParameterValue,
                "resume needs background workers (\"workers\" >= 1)",
                "A run in the caller's transaction keeps nothing when it fails.");
  std::optional<int64_t> unfinished = find_unfinished(req);
  if (unfinished && !opts.resume)
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                "run " + std::to_string(*unfinished) + " of this migration is unfinished",
                "Its committed chunks are in the target tables.",
                "Continue it with {\"resume\": true}, or drop what it created with "
                "minibar_migrate.rollback(" +
                    std::to_string(*unfinished) + ").");
  if (req.workers == 0) return run_in_caller(req, opts, config);
  const int64_t run_id = run_in_workers(req, opts, unfinished);
  warn_stale_chunks(run_id);
  return run_id;
}

}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PGDLLEXPORT void minibar_migrate_worker_main(Datum arg);

// A background worker of a run: attaches the run's segment, connects as the
// caller, and works until the run is done or stopped. Errors go to the
// segment (the caller reports them) and to the server log.
void minibar_migrate_worker_main(Datum arg) {
  pqsignal(SIGTERM, die);
  BackgroundWorkerUnblockSignals();
  int index = 0;
  std::memcpy(&index, MyBgworkerEntry->bgw_extra, sizeof index);
  dsm_segment *seg = dsm_attach(DatumGetUInt32(arg));
  if (!seg)
    ereport(ERROR, (errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
                    errmsg("minibar_migrate worker: the run's shared memory is gone")));
  auto *sh = static_cast<RunShared *>(dsm_segment_address(seg));
  BackgroundWorkerInitializeConnectionByOid(sh->dbid, sh->userid, 0);
  pgstat_report_appname("minibar_migrate worker");
  SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION);
  bgw_guarded_main(
      [&] {
        worker_run(sh, index);
        if (index < kMaxWorkers) sh->slots[index].finished = true;
        return 0;
      },
      [&](ErrorData *e) { record_error(sh, index, e); });
}

}  // extern "C"
