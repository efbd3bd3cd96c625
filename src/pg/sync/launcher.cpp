// Brings syncs back after a PostgreSQL restart, in the databases the setting
// minibar_migrate.sync_databases names (none by default). With
// minibar_migrate in shared_preload_libraries, _PG_init (module.cpp)
// registers a launcher that starts once recovery is finished: it lists the
// databases the setting names and starts, in each, a short-lived worker that
// restarts the syncs still wanted running. It then waits for a configuration
// reload: a database newly named gets its resume worker; the sync workers of
// a database no longer named stop by themselves on the same reload (their
// syncs stay wanted running and come back once it is named again).
// (Without the preload, a sync survives crashes of its worker and of other
// backends, but not a full restart: sync_start it again.)
#include "pg/sync/launcher.hpp"

#include "pg/base/bgworker.hpp"
#include "pg/base/log.hpp"
#include "pg/base/spi.hpp"
#include "pg/sync/sync_record.hpp"
#include "pg/sync/worker.hpp"

namespace {

char *sync_databases_setting = nullptr;
bool launcher_registered = false;

// PostgreSQL calls: whether the setting's list is well formed.
bool check_sync_databases(char **newval, void **, GucSource) {
  char *raw = pstrdup(*newval ? *newval : "");
  List *names = NIL;
  const bool ok = SplitIdentifierString(raw, ',', &names);
  if (!ok) GUC_check_errdetail("List syntax is invalid: database names separated by commas.");
  list_free(names);
  pfree(raw);
  return ok;
}

// PostgreSQL calls only (no C++ object is alive while they run): the
// connectable databases the setting names now.
List *served_databases() {
  List *dbs = NIL;
  // The list outlives the transaction: it is built in the caller's context.
  MemoryContext keep = CurrentMemoryContext;
  StartTransactionCommand();
  Relation rel = table_open(DatabaseRelationId, AccessShareLock);
  TableScanDesc scan = table_beginscan_catalog(rel, 0, nullptr);
  HeapTuple tup;
  while ((tup = heap_getnext(scan, ForwardScanDirection)) != nullptr) {
    auto *db = reinterpret_cast<Form_pg_database>(GETSTRUCT(tup));
    if (db->datallowconn && !db->datistemplate &&
        minibar::pg::sync_database_named(NameStr(db->datname))) {
      MemoryContext in_xact = MemoryContextSwitchTo(keep);
      dbs = lappend_oid(dbs, db->oid);
      MemoryContextSwitchTo(in_xact);
    }
  }
  table_endscan(scan);
  table_close(rel, AccessShareLock);
  CommitTransactionCommand();
  return dbs;
}

// PostgreSQL calls only: starts a resume worker in each of dbs, one at a time.
void launch_resume_workers(List *dbs) {
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
}

// PostgreSQL calls only: resumes the syncs of the databases served, then, on
// each configuration reload, those of the databases newly named. Runs until
// SIGTERM (die) or the postmaster's death.
int launcher_loop() {
  List *served = NIL;
  for (;;) {
    List *now = served_databases();
    List *added = list_difference_oid(now, served);
    ereport(list_length(added) > 0 ? LOG : DEBUG1,
            (errmsg("minibar_migrate sync launcher: %d database(s) served, %d newly",
                    list_length(now), list_length(added))));
    launch_resume_workers(added);
    list_free(added);
    list_free(served);
    served = now;
    // A reload that came while resume workers ran is not lost: the flag stays.
    while (!ConfigReloadPending) {
      (void)WaitLatch(MyLatch, WL_LATCH_SET | WL_EXIT_ON_PM_DEATH, -1L, PG_WAIT_EXTENSION);
      ResetLatch(MyLatch);
      CHECK_FOR_INTERRUPTS();
    }
    ConfigReloadPending = false;
    ProcessConfigFile(PGC_SIGHUP);
  }
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

void define_sync_settings() {
  DefineCustomStringVariable(
      "minibar_migrate.sync_databases",
      "Databases the sync launcher serves: comma-separated names, * for every database; "
      "empty (the default): none.",
      "Only with minibar_migrate in shared_preload_libraries: sync_start works only in these "
      "databases, and their syncs come back after a restart.",
      &sync_databases_setting, "", PGC_SIGHUP, GUC_LIST_INPUT, check_sync_databases, nullptr,
      nullptr);
}

void register_sync_launcher() {
  BackgroundWorker w;
  // Restarted 10 s after it failed (a clean exit, on shutdown, is final).
  bgw_describe(&w, "minibar_sync_launcher_main", "minibar_migrate sync launcher", 10);
  RegisterBackgroundWorker(&w);
  launcher_registered = true;
}

bool sync_launcher_registered() {
  return launcher_registered;
}

bool sync_database_named(const char *dbname) {
  if (!sync_databases_setting || !*sync_databases_setting || !dbname) return false;
  char *raw = pstrdup(sync_databases_setting);
  List *names = NIL;
  bool named = false;
  if (SplitIdentifierString(raw, ',', &names)) {
    ListCell *lc;
    foreach (lc, names) {
      const char *n = static_cast<const char *>(lfirst(lc));
      if (strcmp(n, "*") == 0 || strcmp(n, dbname) == 0) named = true;
    }
  }
  list_free(names);
  pfree(raw);
  return named;
}

bool sync_database_served(const char *dbname) {
  return !launcher_registered || sync_database_named(dbname);
}

}  // namespace minibar::pg

extern "C" {

PGDLLEXPORT void minibar_sync_launcher_main(Datum arg);
PGDLLEXPORT void minibar_sync_resume_main(Datum arg);

// Lists the databases the setting names (shared catalog, no database
// needed), starts a resume worker in each, and again in those a reload names.
void minibar_sync_launcher_main(Datum) {
  pqsignal(SIGTERM, die);
  pqsignal(SIGHUP, SignalHandlerForConfigReload);
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnection(nullptr, nullptr, 0);
  minibar::pg::bgw_guarded_main([] { return launcher_loop(); }, [](ErrorData *) {});
}

// In one database: the syncs still wanted running get their worker again.
void minibar_sync_resume_main(Datum arg) {
  BackgroundWorkerUnblockSignals();
  BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(arg), InvalidOid, 0);
  minibar::pg::bgw_guarded_main([] { return resume_syncs(); }, [](ErrorData *) {});
}

}  // extern "C"
