#include "pg/remote/mysql_reader.hpp"

#include "core/convert/describe.hpp"
#include "pg/base/guard.hpp"

namespace minibar::pg {

namespace {

// Seconds west of UTC in force at the instant utc (microseconds), in tz.
bool offset_at(int64 utc, pg_tz *tz, int *west) {
  struct pg_tm tm;
  fsec_t fsec;
  int tzp = 0;
  if (timestamp2tm(utc, &tzp, &tm, &fsec, nullptr, tz) != 0) return false;
  *west = tzp;
  return true;
}

}  // namespace

// Wall-clock microseconds in tz to UTC microseconds (PostgreSQL calls).
// A wall-clock time that occurs twice (clocks set back) is read as its first
// occurrence, the one before the transition, as MySQL/MariaDB do (they take
// the earliest instant; PostgreSQL's own input would take standard time). One
// that does not occur (clocks set forward: a gap) has no instant: false.
bool mysql_local_to_utc_checked(int64 local, pg_tz *tz, int64 *out) {
  struct pg_tm tm;
  fsec_t fsec;
  if (timestamp2tm(local, nullptr, &tm, &fsec, nullptr, nullptr) != 0)
    ereport(ERROR,
            (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("timestamp out of range")));
  int guess = DetermineTimeZoneOffset(&tm, tz);  // seconds west of UTC
  // Every offset in force within a day of the guess: transitions are rarer.
  int candidates[3] = {guess, guess, guess};
  const int64 day = INT64CONST(86400) * USECS_PER_SEC;
  int64 at = local + static_cast<int64>(guess) * USECS_PER_SEC;
  if (!offset_at(at - day, tz, &candidates[1])) candidates[1] = guess;
  if (!offset_at(at + day, tz, &candidates[2])) candidates[2] = guess;
  bool found = false;
  int64 best = 0;
  for (int west : candidates) {
    int64 utc = local + static_cast<int64>(west) * USECS_PER_SEC;
    int in_force = 0;
    if (!offset_at(utc, tz, &in_force) || in_force != west) continue;  // not this instant's offset
    if (!found || utc < best) best = utc;
    found = true;
  }
  if (!found) return false;
  *out = best;
  return true;
}

void pg_local_time_gap_error(pg_tz *tz) {
  ereport(ERROR,
          (errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
           errmsg("local time does not exist in source_timezone \"%s\" (daylight-saving gap)",
                  pg_get_timezone_name(tz))));
  pg_unreachable();
}

bool mysql_datetime_to_utc(Converted *v, TargetKind target, pg_tz *tz) {
  if (!mysql_datetime_needs_utc(*v, target, tz)) return true;
  int64 utc = 0;
  if (!mysql_local_to_utc_checked(v->i, tz, &utc)) return false;
  v->i = utc;
  v->local_time = false;
  return true;
}

MysqlReader::MysqlReader(const MysqlServerConfig &config, const std::string &sql,
                         const ColumnTarget *targets, int ntargets, const char *relname,
                         const char *remote_table, pg_tz *tz)
    : MysqlReader(config, mysql_acquire(config), nullptr, sql, targets, ntargets, relname,
                  remote_table, tz) {}

MysqlReader::MysqlReader(const MysqlServerConfig &config, MysqlConnection &borrowed,
                         const std::string &sql, const ColumnTarget *targets, int ntargets,
                         const char *relname, const char *remote_table, pg_tz *tz)
    : MysqlReader(config, MysqlLease(), &borrowed, sql, targets, ntargets, relname, remote_table,
                  tz) {}

MysqlReader::MysqlReader(const MysqlServerConfig &config, MysqlLease lease,
                         MysqlConnection *borrowed, const std::string &sql,
                         const ColumnTarget *targets, int ntargets, const char *relname,
                         const char *remote_table, pg_tz *tz)
    : RowReader(targets, ntargets, relname, remote_table),
      lease_(std::move(lease)),
      stmt_(borrowed ? *borrowed : *lease_.conn, sql, config.fetch_size),
      tz_(tz),
      scratch_(static_cast<size_t>(ntargets)) {
  convert_.zero_date_is_error = config.zero_dates_error;
  // With no column needed (count(*)) the query selects NULL.
  if (ntargets > 0 && static_cast<int>(stmt_.columns().size()) != ntargets)
    throw Error(sqlstate::kFdwError, "remote query returned " +
                                         std::to_string(stmt_.columns().size()) +
                                         " columns, expected " + std::to_string(ntargets));
}

void MysqlReader::start(const std::vector<SqlValue> &params) {
  stmt_.execute(params);
}

bool MysqlReader::next() {
  return stmt_.fetch();
}

std::string MysqlReader::row_label() const {
  return "MySQL table " + std::string(remote_table_);
}

std::string MysqlReader::describe_value(int column) const {
  return describe_mycell(stmt_.cell(static_cast<size_t>(column)));
}

bool MysqlReader::source_null(int column) const {
  return stmt_.cell(static_cast<size_t>(column)).is_null;
}

void MysqlReader::append_json(std::string &out, int column) const {
  json_append_mycell(out, stmt_.cell(static_cast<size_t>(column)), kJsonValueLimit, &value_md5_hex);
}

void MysqlReader::convert(int column, Converted *out) {
  auto idx = static_cast<size_t>(column);
  const MyCell &cell = stmt_.cell(idx);
  *out = convert_mysql_cell(cell, targets_[column].kind, convert_, scratch_[idx]);
  if (out->kind == Converted::Kind::Error) return;
  // A DATETIME read in source_timezone: one that does not exist there (a
  // daylight-saving gap) has no instant, and its row is rejected.
  bool exists = true;
  if (mysql_datetime_needs_utc(*out, targets_[column].kind, tz_))
    pg_call([&] { exists = mysql_datetime_to_utc(out, targets_[column].kind, tz_); });
  if (!exists) {
    out->kind = Converted::Kind::Error;
    out->sqlstate = sqlstate::kDatetimeOverflow;
    out->reason = "local time does not exist in source_timezone (daylight-saving gap)";
    return;
  }
  if (out->kind == Converted::Kind::Null && !cell.is_null) zero_dates_++;
}

}  // namespace minibar::pg
