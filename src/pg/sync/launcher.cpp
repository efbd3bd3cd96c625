// Brings syncs back after a PostgreSQL restart. With minibar_migrate in
// shared_preload_libraries, _PG_init (module.cpp) registers a launcher that
// starts once recovery is finished: it lists the databases and starts, in
// each, a short-lived worker that restarts the syncs still wanted running.
// (Without the preload, a sync survives crashes of its worker and of other
// backends, but not a full restart: sync_start it again.)
#include "pg/sync/launcher.hpp"

#include "pg/base/bgworker.hpp"
#include "pg/base/spi.hpp"
#include "pg/sync/sync_record.hpp"
#include "pg/sync/worker.hpp"

namespace {

// PostgreSQL calls only (no C++ object is alive while they run): lists the
// databases and starts a resume worker in each, one at a time.
int launch_resume_workers() {
  List *dbs = NIL;
  StartTransactionCommand();
  Relation rel = table_open(DatabaseRelationId, AccessShareLock);
  TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
  HeapTuple tup;
  while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
    auto *db = reinterpret_cast<Form_pg_database>(GETSTRUCT(tup));
    if (db->datallowconn && !db->datistemplate) dbs = lappend_oid(dbs, db->oid);
  }
  table_endscan(scan);
  table_close(rel, AccessShareLock);
  CommitTransactionCommand();
  ListCell *lc;
  foreach (lc, dbs) {
    const Oid db = lfirst_oid(lc);
    BackgroundWorker w;
    minibar::pg::bgw_describe(&w, "minibar_sync_resume_main", "minibar_migrate sync resume",
                              BGW_NEVER_RESTART);
    snprintf(w.bgw_name, sizeof w.bgw_name, "minibar_migrate sync resume %u", db);
    w.bgw_main_arg = ObjectIdGetDatum(db);
    w.bgw_notify_pid = MyProcPid;
    // One database at a time, so that a cluster with many databases does not
    // take every worker slot; a busy moment is waited out.
    BackgroundWorkerHandle *h = nullptr;
    for (int attempt = 0; attempt < 60 && !RegisterDynamicBackgroundWorker(&w, &h); attempt++) {
      h = nullptr;
      (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 1000,
                      PG_WAIT_EXTENSION);
      ResetLatch(MyLatch);
    }
    if (!h) {
      ereport(WARNING,
              (errmsg("minibar_migrate: no worker slot to resume the syncs of database %u", db)));
      continue;
    }
    (void)WaitForBackgroundWorkerShutdown(h);
  }
  return 0;
}

// PostgreSQL calls only: the sync worker of server again, as role.
void resume_one(const char *server, Oid role) {
  if (!minibar::pg::sync_launch(MyDatabaseId, role, server, InvalidTransactionId))
    ereport(WARNING, (errmsg("minibar_migrate: no worker slot to resume the sync of server \"%s\"",
                             server)));
  else
    ereport(LOG, (errmsg("minibar_migrate: resuming the sync of server \"%s\"", server)));
}

// PostgreSQL calls only: in this database, when the extension is installed,
// starts the sync worker of every sync still wanted running.
int resume_syncs() {
  SetCurrentStatementStartTimestamp();
  StartTransactionCommand();
  PushActiveSnapshot(GetTransactionSnapshot());
  // The extension, at a version that has syncs.
  if (OidIsValid(get_extension_oid("minibar_migrate", true)) &&
      OidIsValid(RangeVarGetRelid(
          makeRangeVar(const_cast<char *>("minibar_migrate"), const_cast<char *>("syncs"), -1),
          NoLock, true))) {
    SPI_connect();
    minibar::pg::pg_syncs_wanted_running(resume_one);
    SPI_finish();
  }
  PopActiveSnapshot();
  CommitTransactionCommand();
  return 0;
}

}  // namespace

namespace minibar::pg {

void register_sync_launcher() {
  BackgroundWorker w;
  bgw_describe(&w, "minibar_sync_launcher_main", "minibar_migrate sync launcher",
               BGW_NEVER_RESTART);
  RegisterBackgroundWorker(&w);
}

}  // namespace minibar::pg

extern "C" {

PGDLLEXPORT void minibar_sync_launcher_main(Datum arg);
PGDLLEXPORT void minibar_sync_resume_main(Datum arg);

// Lists the connectable databases (shared catalog, no database needed) and
// starts a resume worker in each.
void minibar_sync_launcher_main(Datum) {
  pqsignal(SIGTERM, die);
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
  minibar::pg::bgw_guarded_main([] { return launch_resume_workers(); }, [](ErrorData *) {});
}

// In one database: the syncs still wanted running get their worker again.
void minibar_sync_resume_main(Datum arg) {
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(arg), InvalidOid, 0);
  minibar::pg::bgw_guarded_main([] { return resume_syncs(); }, [](ErrorData *) {});
}

}  // extern "C"
