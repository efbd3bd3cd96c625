// Streams the rows of a remote MySQL query into PostgreSQL values: one
// binary-protocol row at a time, each value decoded straight into a Datum.
// Shared by the foreign scan and ANALYZE.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/mysql/client.hpp"
#include "pg/remote/datum_build.hpp"
#include "pg/remote/mysql_connection.hpp"
#include "pg/remote/row_fault.hpp"

namespace minibar::pg {

// Wall-clock microseconds in tz to UTC microseconds (PostgreSQL calls): how
// DATETIME values read in source_timezone become timestamptz.
int64 mysql_local_to_utc(int64 local, pg_tz *tz);
// The same; false (no error) when the local time does not exist in tz.
bool mysql_local_to_utc_checked(int64 local, pg_tz *tz, int64 *out);

class MysqlReader {
 public:
  // targets: the foreign table's fetched columns, in the remote SELECT's
  // order. relname and remote_table are used in error messages; tz is the
  // source_timezone DATETIME values are read in (nullptr: UTC). The arrays
  // must outlive the reader. Connects (or reuses the cached connection) and
  // prepares the statement.
  // Reads over a connection the caller holds (e.g. inside its remote
  // transaction) instead of acquiring one; it must outlive the reader.
  MysqlReader(const MysqlServerConfig &config, MysqlConnection &borrowed, const std::string &sql,
              const ColumnTarget *targets, int ntargets, const char *relname,
              const char *remote_table, pg_tz *tz);
  MysqlReader(const MysqlServerConfig &config, const std::string &sql, const ColumnTarget *targets,
              int ntargets, const char *relname, const char *remote_table, pg_tz *tz);

  // Runs the statement with its parameters (again, after a rescan).
  void start(const std::vector<SqlValue> &params);
  // Next row; false at the end. Throws on remote errors and interrupts.
  bool next();
  // Sets values/nulls (indexed by attnum - 1) of the fetched columns of the
  // current row, allocating in CurrentMemoryContext. A value that does not fit
  // its column throws an Error naming the table, column and value.
  void fill(Datum *values, bool *nulls);
  // Like fill, but a value the pure C++ conversion rejects is described in
  // *fault (and false returned) instead of thrown. A PostgreSQL error still
  // propagates as PgError; current_column() then names the column.
  bool try_fill(Datum *values, bool *nulls, RowFault *fault);
  int current_column() const { return current_; }
  // The current row's value of target column i: described, and as JSON.
  std::string describe_value(int column) const;
  // True when the current row's source value of target column i is NULL.
  bool source_null(int column) const;
  void append_json(std::string &out, int column) const;
  // Zero dates read as NULL so far.
  int64_t zero_dates() const { return zero_dates_; }

  // What relname is, in error messages: "foreign table" (the default) or
  // "table" (a migration or sync_table target).
  void set_relation_kind(const char *kind) { relkind_ = kind; }

 private:
  MysqlReader(const MysqlServerConfig &config, MysqlLease lease, MysqlConnection *borrowed,
              const std::string &sql, const ColumnTarget *targets, int ntargets,
              const char *relname, const char *remote_table, pg_tz *tz);
  [[noreturn]] void conversion_failed(int column, const Converted &c) const;
  bool fill_row(Datum *values, bool *nulls, RowFault *fault);

  MysqlLease lease_;
  MysqlStatement stmt_;
  const ColumnTarget *targets_;
  int ntargets_;
  const char *relname_;
  const char *relkind_ = "foreign table";
  const char *remote_table_;
  pg_tz *tz_;
  MyConvertOptions convert_;
  int64_t zero_dates_ = 0;
  std::vector<Converted> converted_;
  std::vector<MyScratch> scratch_;
  int current_ = -1;
};

}  // namespace minibar::pg
