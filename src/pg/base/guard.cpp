#include "pg/base/guard.hpp"

#include <new>

#include "core/error.hpp"

namespace minibar::pg {

const char *PgError::what() const noexcept {
  return edata_ && edata_->message ? edata_->message : "PostgreSQL error";
}

void capture_current_exception(CaughtError *out) noexcept {
  try {
    throw;
  } catch (const PgError &e) {
    out->pg = e.edata();
  } catch (const minibar::Error &e) {
    strlcpy(out->sqlstate, e.sqlstate().c_str(), sizeof out->sqlstate);
    strlcpy(out->message, e.what(), sizeof out->message);
    strlcpy(out->detail, e.detail().c_str(), sizeof out->detail);
    strlcpy(out->hint, e.hint().c_str(), sizeof out->hint);
    out->canceled = e.sqlstate() == sqlstate::kQueryCanceled;
  } catch (const std::bad_alloc &) {
    strlcpy(out->sqlstate, sqlstate::kOutOfMemory, sizeof out->sqlstate);
    strlcpy(out->message, "out of memory in C++ code (std::bad_alloc)", sizeof out->message);
  } catch (const std::exception &e) {
    snprintf(out->message, sizeof out->message, "C++ exception: %s", e.what());
  } catch (...) {
    strlcpy(out->message, "C++ exception of unknown type", sizeof out->message);
  }
}

void raise_caught(const CaughtError *err) {
  if (err->pg) ReThrowError(err->pg);
  // A remote statement was stopped because PostgreSQL wants to cancel: let
  // PostgreSQL raise its own error (statement timeout, user request, ...).
  if (err->canceled) CHECK_FOR_INTERRUPTS();
  const char *s = err->sqlstate;
  ereport(ERROR, (errcode(MAKE_SQLSTATE(s[0], s[1], s[2], s[3], s[4])), errmsg("%s", err->message),
                  err->detail[0] ? errdetail("%s", err->detail) : 0,
                  err->hint[0] ? errhint("%s", err->hint) : 0));
  pg_unreachable();
}

void check_for_interrupts() {
  pg_call([] { CHECK_FOR_INTERRUPTS(); });
}

bool interrupt_pending() noexcept {
  return QueryCancelPending || ProcDiePending;
}

}  // namespace minibar::pg
