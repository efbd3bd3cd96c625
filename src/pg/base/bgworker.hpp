// Background workers: how ours are described, their own transactions, and
// the one guarded main every worker runs its body in (bgw_guarded_main), so
// that the error boundary has one shape for the migration workers and the
// sync worker, launcher and resume worker alike.
#pragma once

#include "pg/base/guard.hpp"

namespace minibar::pg {

// A background worker's own transaction with SPI connected and a snapshot
// pushed (bgw_xact_begin), committed (bgw_xact_commit) or abandoned after an
// error (bgw_xact_abort).
void bgw_xact_begin();
void bgw_xact_commit();
void bgw_xact_abort();
// One of our background workers, connected to a database, started once
// recovery is done: its entry point in this library, its type (also its name
// until the caller sets another) and its restart interval in seconds
// (BGW_NEVER_RESTART: never). Everything else zeroed.
void bgw_describe(BackgroundWorker *w, const char *function, const char *type, int restart_time);

// The error boundary of a background worker, once it has set its signals and
// connected. body() is C++ (it may throw; it calls PostgreSQL through pg_call,
// or only where no C++ object with a destructor is alive) and returns the
// exit code. A C++ exception or a PostgreSQL error leaving it is written to
// the server log, the transaction is aborted, and on_error(edata) records it
// where the worker's owner will see it (PostgreSQL code, no C++ objects: it
// may run a transaction of its own); the worker then exits with 1.
template <typename Body, typename OnError>
[[noreturn]] void bgw_guarded_main(Body &&body, OnError &&on_error) {
  volatile int code = 0;
  PG_TRY();
  {
    code = pg_entry([&]() -> int { return body(); });
  }
  PG_CATCH();
  {
    MemoryContextSwitchTo(TopMemoryContext);
    ErrorData *edata = CopyErrorData();
    EmitErrorReport();
    FlushErrorState();
    AbortOutOfAnyTransaction();
    on_error(edata);
    proc_exit(1);
  }
  PG_END_TRY();
  proc_exit(code);
}

}  // namespace minibar::pg
