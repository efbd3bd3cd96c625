#include "pg/base/bgworker.hpp"

#include <cstring>

namespace minibar::pg {

void bgw_xact_begin() {
  pg_call([] {
    SetCurrentStatementStartTimestamp();
    StartTransactionCommand();
    if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
    PushActiveSnapshot(GetTransactionSnapshot());
  });
}

void bgw_xact_commit() {
  pg_call([] {
    SPI_finish();
    PopActiveSnapshot();
    CommitTransactionCommand();
    pgstat_report_activity(STATE_IDLE, nullptr);
  });
}

void bgw_xact_abort() {
  pg_call([] { AbortOutOfAnyTransaction(); });
}

void bgw_describe(BackgroundWorker *w, const char *function, const char *type, int restart_time) {
  std::memset(w, 0, sizeof *w);
  w->bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
  w->bgw_start_time = BgWorkerStart_RecoveryFinished;
  w->bgw_restart_time = restart_time;
  strlcpy(w->bgw_library_name, "minibar_migrate", sizeof w->bgw_library_name);
  strlcpy(w->bgw_function_name, function, sizeof w->bgw_function_name);
  strlcpy(w->bgw_name, type, sizeof w->bgw_name);
  strlcpy(w->bgw_type, type, sizeof w->bgw_type);
}

}  // namespace minibar::pg
