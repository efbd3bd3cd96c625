// The error boundary between C++ and PostgreSQL, in both directions.
//
// C++ -> PostgreSQL: every function PostgreSQL calls (SQL-callable functions,
// FDW callbacks) runs its body through pg_entry(). A C++ exception escaping
// the body becomes ereport(ERROR) only after the exception has been fully
// handled, so all C++ destructors have run: a minibar::Error keeps its
// SQLSTATE, detail and hint; a captured PostgreSQL error is re-thrown as it
// was; anything else is SQLSTATE 38000 "C++ exception: ...".
//
// PostgreSQL -> C++: a PostgreSQL call that may ereport(ERROR) while C++
// objects with destructors are alive goes through pg_call(), which turns the
// longjmp into a C++ PgError so that those destructors run. The callable given
// to pg_call must itself create no object with a destructor, must not throw,
// and must not return from inside it (it runs inside PG_TRY).
#pragma once

#include <exception>

#include "pg/pg.hpp"

namespace minibar::pg {

// A PostgreSQL error captured by pg_call, re-thrown at the boundary.
class PgError : public std::exception {
 public:
  explicit PgError(ErrorData *edata) : edata_(edata) {}
  const char *what() const noexcept override;
  ErrorData *edata() const noexcept { return edata_; }

 private:
  ErrorData *edata_;
};

template <typename F>
void pg_call(F &&fn) {
  MemoryContext oldcxt = CurrentMemoryContext;
  ErrorData *volatile edata = nullptr;
  PG_TRY();
  { fn(); }
  PG_CATCH();
  {
    MemoryContextSwitchTo(oldcxt);
    edata = CopyErrorData();
    FlushErrorState();
  }
  PG_END_TRY();
  if (edata) throw PgError(edata);
}

// Reports the exception currently being handled. Only for pg_entry.
struct CaughtError {
  ErrorData *pg = nullptr;  // a PostgreSQL error to re-throw as is
  char sqlstate[6] = "38000";
  char message[2048] = "";
  char detail[1024] = "";
  char hint[1024] = "";
  bool canceled = false;  // an interrupted remote operation: let PostgreSQL report why
};
void capture_current_exception(CaughtError *out) noexcept;
[[noreturn]] void raise_caught(const CaughtError *err);

template <typename F>
auto pg_entry(F &&body) -> decltype(body()) {
  CaughtError err;
  try {
    return body();
  } catch (...) {
    capture_current_exception(&err);
  }
  // The exception object is gone and every C++ frame below has unwound.
  raise_caught(&err);
}

// Runs CHECK_FOR_INTERRUPTS() as a C++ call: throws PgError on cancel.
void check_for_interrupts();

// True when a query cancel, statement timeout or termination is pending; safe
// to call from any code (it only reads flags) and used by remote clients to
// stop a running remote statement.
bool interrupt_pending() noexcept;

}  // namespace minibar::pg
