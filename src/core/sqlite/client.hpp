// A read-only SQLite client: RAII database and statement handles, catalog
// look-ups, cancellation through a caller-supplied "interrupt requested"
// predicate, and errors as minibar::Error. No PostgreSQL headers here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/convert/cell_convert.hpp"
#include "core/error.hpp"
#include "core/value.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace minibar {

// Raised when the interrupt predicate asked a running statement to stop.
class SqliteInterrupted : public Error {
 public:
  SqliteInterrupted()
      : Error(sqlstate::kQueryCanceled, "canceling SQLite statement due to an interrupt request") {}
};

struct SqliteColumn {
  std::string name;
  std::string declared_type;
  bool not_null = false;
  int pk_position = 0;  // 1-based position in the primary key, 0 when not part of it
  bool generated = false;
};

struct SqliteTable {
  std::string name;
  bool is_view = false;
};

class SqliteDatabase {
 public:
  struct Options {
    std::string path;
    int busy_timeout_ms = 5000;
    // Let the file's schema (indexes, views, triggers) call functions SQLite does
    // not mark innocuous, e.g. json_extract() in an expression index.
    bool trusted_schema = false;
    // Polled while a statement runs and while waiting on a lock; returning true
    // makes the statement fail with SqliteInterrupted. Must not throw.
    std::function<bool()> interrupt_requested;
    // How error messages name this source, e.g. `server "legacy"`.
    std::string label = "SQLite";
  };

  // Opens the file read-only (never creates it) and checks that it is a
  // readable SQLite database. Throws Error.
  explicit SqliteDatabase(Options options);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase &) = delete;
  SqliteDatabase &operator=(const SqliteDatabase &) = delete;

  sqlite3 *handle() const { return db_; }
  const Options &options() const { return opts_; }

  // Tables and views of the main schema, without SQLite's internal ones, by name.
  std::vector<SqliteTable> tables();
  // Columns of a table or view in declaration order; nullopt when it does not exist.
  std::optional<std::vector<SqliteColumn>> columns(const std::string &table);
  // An expression naming the table's rowid that no column shadows ("rowid",
  // "_rowid_" or "oid"), or "" when the table has none (WITHOUT ROWID, views).
  std::string row_locator(const std::string &table, const std::vector<SqliteColumn> &columns);
  // max(rowid): a cheap row estimate for rowid tables (0 when empty).
  std::optional<int64_t> max_rowid(const std::string &table, const std::string &locator);

  // Throws the Error describing a failed SQLite call on this connection.
  [[noreturn]] void fail(int rc, const std::string &what) const;

 private:
  static int on_progress(void *self);
  static int on_busy(void *self, int count);

  Options opts_;
  sqlite3 *db_ = nullptr;
  int64_t busy_started_ms_ = 0;
};

class SqliteStatement {
 public:
  SqliteStatement(SqliteDatabase &db, const std::string &sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement &) = delete;
  SqliteStatement &operator=(const SqliteStatement &) = delete;

  // Binds parameter index (1-based). Text and blobs are copied by SQLite.
  void bind(int index, const SqlValue &value);
  // Advances: true when a row is available, false when done. Throws Error
  // (SqliteInterrupted when interrupted).
  bool step();
  // Rewinds to run again (bindings are kept).
  void reset();
  int column_count() const;
  // The value of a column of the current row; its bytes stay valid until the
  // next step(), reset() or destruction.
  Cell cell(int column) const;
  const std::string &sql() const { return sql_; }

 private:
  SqliteDatabase &db_;
  std::string sql_;
  sqlite3_stmt *stmt_ = nullptr;
};

}  // namespace minibar
