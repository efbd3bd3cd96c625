#include "pg/remote/mysql_reader.hpp"

#include "core/convert/describe.hpp"
#include "pg/base/guard.hpp"
#include "pg/migrate/load/rejects.hpp"

namespace minibar::pg {

namespace {

std::string describe(const MyCell &c) {
  if (c.is_null) return "NULL";
  std::string out;
  switch (c.type) {
    case MyType::Int:
    case MyType::Year:
      return std::to_string(c.i);
    case MyType::UInt:
      return std::to_string(c.u);
    case MyType::Float:
    case MyType::Double: {
      CellScratch s;
      return std::string(format_double_shortest(c.d, s));
    }
    case MyType::Date:
    case MyType::DateTime:
    case MyType::Timestamp: {
      char buf[64];
      if (c.type == MyType::Date)
        snprintf(buf, sizeof buf, "'%04d-%02d-%02d'", c.t.year, c.t.month, c.t.day);
      else
        snprintf(buf, sizeof buf, "'%04d-%02d-%02d %02d:%02d:%02d.%06d'", c.t.year, c.t.month,
                 c.t.day, c.t.hour, c.t.minute, c.t.second, c.t.micro);
      return buf;
    }
    case MyType::Time:
      return "'" + std::string(format_mysql_time(c.t, out)) + "'";
    case MyType::Binary:
    case MyType::Bit:
    case MyType::Geometry:
      return describe_bytes(c.bytes);
    default:
      return describe_text(c.bytes);
  }
}

}  // namespace

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

int64 mysql_local_to_utc(int64 local, pg_tz *tz) {
  int64 utc = 0;
  if (!mysql_local_to_utc_checked(local, tz, &utc))
    ereport(ERROR,
            (errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
             errmsg("local time does not exist in source_timezone \"%s\" (daylight-saving gap)",
                    pg_get_timezone_name(tz))));
  return utc;
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
    : lease_(std::move(lease)),
      stmt_(borrowed ? *borrowed : *lease_.conn, sql, config.fetch_size),
      targets_(targets),
      ntargets_(ntargets),
      relname_(relname),
      remote_table_(remote_table),
      tz_(tz),
      converted_(static_cast<size_t>(ntargets)),
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

void MysqlReader::conversion_failed(int column, const Converted &c) const {
  const ColumnTarget &t = targets_[column];
  throw Error(c.sqlstate ? c.sqlstate : sqlstate::kInvalidText,
              "cannot convert the value of column \"" + std::string(t.attname) + "\" of " +
                  std::string(relkind_) + " \"" + relname_ +
                  "\": " + (c.reason ? c.reason : "invalid"),
              "MySQL table " + std::string(remote_table_) + ", value " +
                  describe(stmt_.cell(static_cast<size_t>(column))),
              "Fix the value in the source, or give the column a type that can hold it.");
}

void MysqlReader::fill(Datum *values, bool *nulls) {
  fill_row(values, nulls, nullptr);
}

bool MysqlReader::try_fill(Datum *values, bool *nulls, RowFault *fault) {
  return fill_row(values, nulls, fault);
}

std::string MysqlReader::describe_value(int column) const {
  return describe(stmt_.cell(static_cast<size_t>(column)));
}

bool MysqlReader::source_null(int column) const {
  return stmt_.cell(static_cast<size_t>(column)).is_null;
}

void MysqlReader::append_json(std::string &out, int column) const {
  json_append_mycell(out, stmt_.cell(static_cast<size_t>(column)), kJsonValueLimit,
                     &reject_md5_hex);
}

bool MysqlReader::fill_row(Datum *values, bool *nulls, RowFault *fault) {
  // Pure C++ first: decode and check every value before any PostgreSQL call.
  current_ = -1;
  for (int i = 0; i < ntargets_; i++) {
    auto idx = static_cast<size_t>(i);
    const MyCell &cell = stmt_.cell(idx);
    converted_[idx] = convert_mysql_cell(cell, targets_[i].kind, convert_, scratch_[idx]);
    if (converted_[idx].kind == Converted::Kind::Error) {
      if (!fault) conversion_failed(i, converted_[idx]);
      fault->column = i;
      fault->sqlstate =
          converted_[idx].sqlstate ? converted_[idx].sqlstate : sqlstate::kInvalidText;
      fault->reason = converted_[idx].reason ? converted_[idx].reason : "invalid";
      fault->value = describe(cell);
      return false;
    }
    // A DATETIME read in source_timezone: one that does not exist there (a
    // daylight-saving gap) has no instant, and its row is rejected.
    Converted &v = converted_[idx];
    if (tz_ && v.kind == Converted::Kind::Timestamp && v.local_time &&
        targets_[i].kind == TargetKind::TimestampTz) {
      int64 utc = 0;
      bool exists = false;
      pg_call([&] { exists = mysql_local_to_utc_checked(v.i, tz_, &utc); });
      if (exists) {
        v.i = utc;
        v.local_time = false;
      } else {
        v.kind = Converted::Kind::Error;
        v.sqlstate = sqlstate::kDatetimeOverflow;
        v.reason = "local time does not exist in source_timezone (daylight-saving gap)";
        if (!fault) conversion_failed(i, v);
        fault->column = i;
        fault->sqlstate = v.sqlstate;
        fault->reason = v.reason;
        fault->value = describe(cell);
        return false;
      }
    }
    if (converted_[idx].kind == Converted::Kind::Null && !cell.is_null) zero_dates_++;
  }
  try {
    pg_call([&] {
      for (int i = 0; i < ntargets_; i++) {
        current_ = i;
        Converted &v = converted_[static_cast<size_t>(i)];
        if (tz_ && v.kind == Converted::Kind::Timestamp && v.local_time &&
            targets_[i].kind == TargetKind::TimestampTz)
          v.i = mysql_local_to_utc(v.i, tz_);
        AttrNumber att = targets_[i].attnum;
        values[att - 1] = converted_to_datum(v, targets_[i], &nulls[att - 1]);
      }
    });
  } catch (const PgError &e) {
    if (fault) throw;
    int col = current_;
    std::string where = col < 0 ? "MySQL table " + std::string(remote_table_)
                                : "column \"" + std::string(targets_[col].attname) + "\" of " +
                                      std::string(relkind_) + " \"" + relname_ +
                                      "\", MySQL table " + remote_table_ + ", value " +
                                      describe(stmt_.cell(static_cast<size_t>(col)));
    ErrorData *edata = e.edata();
    pg_call([&] {
      edata->context = edata->context ? psprintf("%s\n%s", where.c_str(), edata->context)
                                      : pstrdup(where.c_str());
    });
    throw;
  }
  return true;
}

}  // namespace minibar::pg
