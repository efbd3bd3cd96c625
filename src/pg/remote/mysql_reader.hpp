// Streams the rows of a remote MySQL query into PostgreSQL values: one
// binary-protocol row at a time, each value decoded straight into a Datum
// (pg/remote/row_reader.hpp). Shared by the foreign scan and ANALYZE.
#pragma once

#include <string>
#include <vector>

#include "core/mysql/client.hpp"
#include "pg/remote/server/mysql_connection.hpp"
#include "pg/remote/row_reader.hpp"

namespace minibar::pg {

// Wall-clock microseconds in tz to UTC microseconds (PostgreSQL calls): how
// DATETIME values read in source_timezone become timestamptz. False (no
// error) when the local time does not exist in tz.
bool mysql_local_to_utc_checked(int64 local, pg_tz *tz, int64 *out);
// ereport(ERROR) 22008: a local time does not exist in source_timezone tz.
[[noreturn]] void pg_local_time_gap_error(pg_tz *tz);

// Whether converted value v is a DATETIME read in source_timezone tz going to
// a timestamptz column: a wall-clock time to shift to UTC (pure).
inline bool mysql_datetime_needs_utc(const Converted &v, TargetKind target, pg_tz *tz) {
  return tz && v.kind == Converted::Kind::Timestamp && v.local_time &&
         target == TargetKind::TimestampTz;
}
// Such a value becomes its UTC instant (any other value is left as it is).
// False, *v unchanged, when its wall-clock time does not exist in tz (a
// daylight-saving gap). PostgreSQL calls: use inside pg_call.
bool mysql_datetime_to_utc(Converted *v, TargetKind target, pg_tz *tz);

class MysqlReader : public RowReader {
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

  void start(const std::vector<SqlValue> &params) override;
  bool next() override;
  std::string describe_value(int column) const override;
  bool source_null(int column) const override;
  void append_json(std::string &out, int column) const override;
  int64_t zero_dates() const override { return zero_dates_; }

 protected:
  void convert(int column, Converted *out) override;
  std::string row_label() const override;

 private:
  MysqlReader(const MysqlServerConfig &config, MysqlLease lease, MysqlConnection *borrowed,
              const std::string &sql, const ColumnTarget *targets, int ntargets,
              const char *relname, const char *remote_table, pg_tz *tz);

  MysqlLease lease_;
  MysqlStatement stmt_;
  pg_tz *tz_;
  MyConvertOptions convert_;
  int64_t zero_dates_ = 0;
  std::vector<MyScratch> scratch_;
};

}  // namespace minibar::pg
