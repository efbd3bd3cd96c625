// Streams the rows of a remote SQLite query into PostgreSQL values: one
// sqlite3_step per row, each value converted straight into a Datum. Shared by
// the foreign scan and ANALYZE.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/sqlite/client.hpp"
#include "pg/remote/datum_build.hpp"
#include "pg/remote/row_fault.hpp"

namespace minibar::pg {

class SqliteReader {
 public:
  // targets: the foreign table's fetched columns, in the remote SELECT's order
  // (after the rowid locator when has_locator). Both name strings are used in
  // error messages. The arrays must outlive the reader.
  SqliteReader(std::unique_ptr<SqliteDatabase> db, const std::string &sql,
               const ColumnTarget *targets, int ntargets, bool has_locator, const char *relname,
               const char *remote_table);

  // Rewinds and binds the statement's parameters.
  void start(const std::vector<SqlValue> &params);
  // Steps to the next row; false at the end. Throws on remote errors and
  // interrupts.
  bool next();
  // Sets values/nulls (indexed by attnum - 1) of the fetched columns of the
  // current row, allocating in CurrentMemoryContext. A value that does not fit
  // its column throws an Error naming the table, column, rowid and value.
  void fill(Datum *values, bool *nulls);
  // Like fill, but a value the pure C++ conversion rejects is described in
  // *fault (and false returned) instead of thrown. A PostgreSQL error from an
  // input function still propagates as PgError; current_column() then names
  // the column being converted.
  bool try_fill(Datum *values, bool *nulls, RowFault *fault);
  int current_column() const { return current_; }
  // The current row's value of target column i: described, and as JSON.
  std::string describe_value(int column) const;
  // True when the current row's source value of target column i is NULL.
  bool source_null(int column) const;
  void append_json(std::string &out, int column) const;

  // What relname is, in error messages: "foreign table" (the default) or
  // "table" (a migration or sync_table target).
  void set_relation_kind(const char *kind) { relkind_ = kind; }

 private:
  [[noreturn]] void conversion_failed(int column, const Converted &c) const;
  std::string row_label() const;
  bool fill_row(Datum *values, bool *nulls, RowFault *fault);

  std::unique_ptr<SqliteDatabase> db_;
  SqliteStatement stmt_;
  const ColumnTarget *targets_;
  int ntargets_;
  int offset_;  // 1 when the first remote column is the rowid locator
  const char *relname_;
  const char *relkind_ = "foreign table";
  const char *remote_table_;
  std::vector<Converted> converted_;
  std::vector<CellScratch> scratch_;
  int current_ = -1;
};

}  // namespace minibar::pg
