// SPI and subtransaction helpers for C++ code: each wraps its PostgreSQL
// calls in pg_call, so a PostgreSQL error arrives as a PgError. The caller
// has done SPI_connect.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pg/base/guard.hpp"

namespace minibar::pg {

// An internal subtransaction that keeps the caller's memory context and
// resource owner current (the way PL/pgSQL's exception blocks do). One still
// open when it goes out of scope (an exception unwinding past it) is rolled
// back there: a subtransaction left open would be taken for the caller's own
// (a PL/pgSQL exception block would roll back ours instead of its own, and
// keep what it meant to undo).
class Subxact {
 public:
  Subxact() = default;
  Subxact(const Subxact &) = delete;
  Subxact &operator=(const Subxact &) = delete;
  ~Subxact();
  void begin();
  void commit();
  void rollback();
  bool active() const { return active_; }

 private:
  // Ends the subtransaction with end (release or roll back) and returns to
  // the memory context and resource owner of begin().
  void end(void (*end_subxact)());
  MemoryContext cxt_ = nullptr;
  ResourceOwner owner_ = nullptr;
  bool active_ = false;
};

// True for errors about the data (SQLSTATE class 22 or 23): a row is
// rejected for them; anything else fails the call.
bool is_data_error(const ErrorData *edata);
// True for "new row violates row-level security policy ..." (42501): an
// INSERT's row that a policy's WITH CHECK refused.
bool is_policy_refusal(const ErrorData *edata);
// The five-character SQLSTATE of an error.
std::string sqlstate_of(const ErrorData *edata);

// PostgreSQL calls for an entry point, before any C++ object exists:
// SPI_connect and search_path = pg_catalog, pg_temp for the call (names in
// our SQL are then schema-qualified or built-in). Returns the GUC nest level
// to give spi_end_pinned on success; on error the transaction's abort undoes both.
int spi_begin_pinned();
void spi_end_pinned(int guc_level);

// Runs a statement (no result wanted). Every statement given to spi_exec,
// spi_try, spi_rows and state_rows must parse as exactly one statement, or
// it is refused (42601) before anything runs: text built from source names
// or values can never smuggle in a second one.
void spi_exec(const std::string &sql);
// Runs a statement in a subtransaction; returns the error message when it
// failed (interrupts and resource errors are re-thrown).
std::optional<std::string> spi_try(const std::string &sql);
struct SpiFailure {
  std::string sqlstate;
  std::string message;
};
// Like spi_try, with the failed statement's SQLSTATE.
std::optional<SpiFailure> spi_try_code(const std::string &sql);
// PostgreSQL calls (inside pg_call): a prepared statement with parameters of
// these types; kept past the SPI call (SPI_keepplan) when keep.
SPIPlanPtr pg_spi_prepare(const std::string &sql, const std::vector<Oid> &types, bool keep);
using SpiRows = std::vector<std::vector<std::optional<std::string>>>;
// The rows of a query as text (NULL: nullopt), run with the current user's
// rights.
SpiRows spi_rows(const std::string &sql, const std::vector<std::string> &args = {});
// True when state table minibar_migrate.<table> has the column: the library
// serves the tables of the release a database has until ALTER EXTENSION ...
// UPDATE, and a column a later release added may not be there yet.
bool state_table_has_column(const std::string &table, const std::string &column);

// The extension's state tables (runs, run_*, rejects, validations, syncs,
// table_syncs) grant no write to anyone: only this code writes them, through
// state_rows, which runs one statement with the rights of the tables' owner
// (the extension's owner) in a security-restricted context with
// search_path = pg_catalog, pg_temp, whatever the caller's settings. Reads
// that need a row lock (FOR UPDATE) go through it too. Every other read runs
// as the caller, through row-level security.
SpiRows state_rows(const std::string &sql, const std::vector<std::string> &args = {});
// PostgreSQL calls (inside pg_call) for a prepared statement on the state
// tables: pg_state_execute_plan runs it like state_rows does (as the tables'
// owner, search_path pinned). pg_state_owner_enter / _leave switch to the
// owner and back around other PostgreSQL calls (leave with ok = false on
// the error path, before re-throwing).
struct StateOwner {
  Oid saved_user;
  int saved_sec;
  int guc_level;
};
void pg_state_owner_enter(StateOwner *sw);
void pg_state_owner_leave(const StateOwner *sw, bool ok);
int pg_state_execute_plan(SPIPlanPtr plan, Datum *values, const char *nulls);
// The current user's name: what state rows record as their owner (set
// explicitly: a column DEFAULT current_user would see the tables' owner).
std::string current_role_name();

}  // namespace minibar::pg
