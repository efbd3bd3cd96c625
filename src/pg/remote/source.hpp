// The database a migration reads: a minibar_mysql or minibar_sqlite server,
// seen through one interface. It reads the schema, gives each table's row
// count and rows in one consistent view (MySQL: one REPEATABLE READ snapshot
// for the whole run; SQLite: one read transaction per table), and streams
// rows converted for the target columns.
#pragma once

#include <optional>
#include <utility>

#include "core/plan/chunk_plan.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/plan/migrate_plan.hpp"
#include "core/schema/model.hpp"
#include "pg/remote/datum_build.hpp"
#include "pg/remote/server/mysql_options.hpp"
#include "pg/remote/row_reader.hpp"
#include "pg/remote/server/sqlite_options.hpp"

namespace minibar::pg {

// A table's rows, converted for the target columns (a MysqlReader or
// SqliteReader). try_fill writes target i's value at
// values[targets[i].attnum - 1] (and its null flag likewise): the arrays are
// the target relation's whole row.
using RowStream = RowReader;

// What is needed to open the source, read with PostgreSQL calls up front.
struct SourceConfig {
  Dialect dialect;
  const char *server_name;
  MysqlServerConfig mysql;
  pg_tz *mysql_tz;
  SqliteServerConfig sqlite;
};

// PostgreSQL calls (use inside pg_call): the server's options and the
// caller's user mapping; checks USAGE on the server. Errors when the server
// is not a minibar_mysql / minibar_sqlite server or MySQL has no dbname.
void source_config(Oid serverid, SourceConfig *out);

struct OptionsKind;
class MigrationSource;

class MigrationSource {
 public:
  virtual ~MigrationSource() = default;
  virtual Dialect dialect() const = 0;
  // Tables (all, or `only`) and the objects not migrated. With views (or
  // when `only` names one), views are read as tables (SourceTable::view).
  virtual SourceSchema read_schema(const std::vector<std::string> &only, bool views) = 0;
  // Starts reading a table (or the chunk `range` of it): returns its row
  // count in the view the rows come from.
  virtual int64_t begin_table(const std::string &table, const KeyRange &range = {}) = 0;
  // The rows (after begin_table, same range), columns in the order of targets.
  virtual std::unique_ptr<RowStream> rows(const std::string &table,
                                          const std::vector<std::string> &columns,
                                          const ColumnTarget *targets, int ntargets,
                                          const char *relname, const KeyRange &range = {}) = 0;
  // MIN and MAX of an integer column (nullopt: the table is empty).
  virtual std::optional<std::pair<int64_t, int64_t>> key_bounds(const std::string &table,
                                                                const std::string &column) = 0;
  // About how many rows the table has (MySQL: the statistics; SQLite: count(*)).
  virtual int64_t estimate_rows(const std::string &table) = 0;
  // Where estimate_rows can be stale (MySQL's statistics lag a fresh bulk
  // load): the exact row count, read only up to `cap` rows (so at most cap,
  // and cap means "at least cap"). nullopt where estimate_rows is exact.
  virtual std::optional<int64_t> count_rows_up_to(const std::string &table, int64_t cap) = 0;
  // Where the source's binlog stood at this source's snapshot (MySQL), or
  // why there is no such position (in `why`).
  struct Position {
    std::string file, gtid;
    int64_t pos = 0;
  };
  virtual std::optional<Position> snapshot_position(std::string *why) {
    *why = "SQLite has no binlog";
    return std::nullopt;
  }
  // True when the source's date-times are UTC as read (MySQL: DATETIME with
  // source_timezone UTC; TIMESTAMP always, the session being +00:00).
  virtual bool datetimes_in_utc() const { return false; }
  // Runs a query in the source's SQL (the caller quoted every name); its
  // rows as text (SQLite blobs in hex), NULL as nullopt.
  virtual std::vector<std::vector<std::optional<std::string>>> query(const std::string &sql) = 0;
  // SQLite: runs sql and calls row(cells, n) per row with the values as SQLite
  // stores them (storage classes kept; valid until the next row), checking for
  // interrupts. Other sources: an error (not needed there).
  virtual void scan_cells(const std::string &sql,
                          const std::function<void(const Cell *, int)> &row) {
    (void)sql;
    (void)row;
    throw Error(sqlstate::kFdwError, "scan_cells is only implemented for SQLite");
  }
  // The id an auto-increment table would hand out next (MySQL's AUTO_INCREMENT
  // counter, SQLite's sqlite_sequence + 1), per table that has one; it can lie
  // past max(id) after deletes, and such ids are never reused. As decimal
  // text: MySQL's counter is unsigned and may lie beyond int64.
  virtual std::map<std::string, std::string> next_ids() = 0;
  // MySQL TIME columns holding values outside 00:00:00..23:59:59.999999.
  virtual std::set<std::string> times_beyond_day(const std::string &table,
                                                 const std::vector<std::string> &columns) = 0;
};

// Connects. Pure C++ apart from the readers' conversions.
std::unique_ptr<MigrationSource> open_source(const SourceConfig &config);

// Holds the source's commits still while several workers open their
// snapshots, so that every snapshot reads the same binlog position (MariaDB:
// BACKUP STAGE BLOCK_COMMIT on a connection of its own; reads and running
// statements go on, commits wait). Released when destroyed.
class CommitFence {
 public:
  virtual ~CommitFence() = default;
};

// nullptr, with the reason in why, when the source's commits cannot (or need
// not) be held: SQLite, no binlog, no RELOAD privilege, or another backup
// lock held past lock_wait_seconds. Pure C++.
std::unique_ptr<CommitFence> hold_source_commits(const SourceConfig &config, int lock_wait_seconds,
                                                 std::string *why);

// The tables a call reads: all of them, or those "tables" names, without
// those "exclude" names. A name in "tables" or "exclude" that the source does
// not have, and a "columns" / "types" rule (rules, when given) that names no
// column of the kept tables, is a 22023 error naming the key: nothing has
// been created yet. With views ("views": "materialize"), the source's views
// are read as tables too; without, a view named in "tables" is a 22023 error
// and one named in "exclude" is accepted (it is only reported anyway).
SourceSchema read_selected_schema(MigrationSource &src, const OptionsKind &kind,
                                  const std::vector<std::string> &tables,
                                  const std::vector<std::string> &exclude,
                                  const MigrateRules *rules, bool views = false);

// SQLite: measures what each column whose type depends on its values holds
// (one scan per table, sqlite_profile_sql; see sqlite_type_depends_on_values),
// so the planner picks a type that holds every value. Columns whose type a
// `columns` or `types` rule in rules gives are not measured. Nothing for MySQL.
void measure_sqlite_values(MigrationSource &src, SourceSchema &schema,
                           const MigrateRules *rules = nullptr);

}  // namespace minibar::pg
