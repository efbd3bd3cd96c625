// Streams the rows of a remote query into PostgreSQL values, one row at a
// time, each value converted straight into a Datum of its target column. What
// the MySQL and SQLite readers share: the targets, the two phases of a row
// (every value converted in pure C++ first, then the Datums built with
// PostgreSQL calls), and how a value that does not fit is reported (an error,
// or a RowFault for the caller to reject the row). Used by the foreign scans,
// ANALYZE, the migration's copy, validation and sync_table.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/value.hpp"
#include "pg/remote/datum_build.hpp"
#include "pg/remote/row_fault.hpp"

namespace minibar::pg {

// MD5 of a value (32 hex digits; empty if it cannot be computed): the digest
// that a row described as JSON gives for a value it cuts (reject records;
// MySQL MD5(), PostgreSQL md5() compute the same).
std::string value_md5_hex(std::string_view bytes);

class RowReader {
 public:
  virtual ~RowReader() = default;
  RowReader(const RowReader &) = delete;
  RowReader &operator=(const RowReader &) = delete;

  // Runs the statement with its parameters (again, after a rescan).
  virtual void start(const std::vector<SqlValue> &params) = 0;
  // Next row; false at the end. Throws on remote errors and interrupts.
  virtual bool next() = 0;
  // Sets values/nulls (indexed by attnum - 1) of the fetched columns of the
  // current row, allocating in CurrentMemoryContext. A value that does not fit
  // its column throws an Error naming the table, column, row and value.
  void fill(Datum *values, bool *nulls);
  // Like fill, but a value the pure C++ conversion rejects is described in
  // *fault (and false returned) instead of thrown: the first in *fault
  // itself, every further one in fault->more. A PostgreSQL error (e.g.
  // from an input function) still propagates as PgError; current_column()
  // then names the column being converted.
  bool try_fill(Datum *values, bool *nulls, RowFault *fault);
  int current_column() const { return current_; }
  // Builds the Datum of target column i of the current row after try_fill
  // failed in its PostgreSQL phase, to see whether that value fits too (a
  // value that does not throws PgError; the caller wraps each call in a
  // subtransaction). The Datum is discarded.
  void build_column(int column);
  // The current row's value of target column i: described, and as JSON.
  virtual std::string describe_value(int column) const = 0;
  virtual void append_json(std::string &out, int column) const = 0;
  // Zero dates read as NULL so far (MySQL).
  virtual int64_t zero_dates() const { return 0; }
  // True when the current row's source value of target column i is NULL
  // (a converted NULL that is not one is a MySQL zero date).
  virtual bool source_null(int column) const = 0;

  // What relname is, in error messages: "foreign table" (the default) or
  // "table" (a migration or sync_table target).
  void set_relation_kind(const char *kind) { relkind_ = kind; }

 protected:
  // targets: the fetched columns, in the remote SELECT's order; relname and
  // remote_table are used in messages. The arrays must outlive the reader.
  RowReader(const ColumnTarget *targets, int ntargets, const char *relname,
            const char *remote_table);

  // Converts target column `column` of the current row into *out for its
  // target (Kind::Error when it does not fit). Pure C++ apart from pg_call.
  virtual void convert(int column, Converted *out) = 0;
  // Where the current row comes from, in messages ("MySQL table `d`.`t`").
  virtual std::string row_label() const = 0;

  const ColumnTarget *targets_;
  int ntargets_;
  const char *remote_table_;

 private:
  [[noreturn]] void conversion_failed(int column, const Converted &c) const;
  bool fill_row(Datum *values, bool *nulls, RowFault *fault);

  const char *relname_;
  const char *relkind_ = "foreign table";
  std::vector<Converted> converted_;
  int current_ = -1;
};

}  // namespace minibar::pg
