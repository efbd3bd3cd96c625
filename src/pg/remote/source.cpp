#include "core/convert/number_parse.hpp"
#include "pg/remote/source.hpp"

#include <time.h>

#include <chrono>

#include "core/mysql/schema.hpp"
#include "core/schema/quote.hpp"
#include "core/plan/remote_query.hpp"
#include "core/sqlite/schema.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/json_options.hpp"
#include "pg/remote/server/mysql_connection.hpp"
#include "pg/remote/mysql_reader.hpp"
#include "pg/remote/sqlite_reader.hpp"

namespace minibar::pg {

namespace {

// The SELECT of a table's columns (within range, when it is a chunk).
std::string range_select(const std::string &schema, const std::string &table,
                         const std::vector<std::string> &columns, const KeyRange &range,
                         Dialect dialect) {
  RemoteSelect q;
  q.schema = schema;
  q.table = table;
  q.columns = columns;
  return deparse_select(q, dialect) + key_range_condition(range, dialect);
}

// A migration's reader, started: its relation is the target table.
std::unique_ptr<RowStream> started(std::unique_ptr<RowReader> reader) {
  reader->set_relation_kind("table");
  reader->start({});
  return reader;
}

class MysqlSource : public MigrationSource {
 public:
  explicit MysqlSource(const SourceConfig &config)
      : config_(config), lease_(mysql_acquire(config.mysql)), db_(config.mysql.dbname) {
    // One snapshot for every table of the run: counts and rows agree, and
    // foreign keys between tables hold as they did at this moment.
    conn().execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    conn().execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
    in_txn_ = true;
    // A slow PostgreSQL side must not make the server drop a streaming read.
    conn().execute("SET SESSION net_write_timeout = 3600, net_read_timeout = 3600");
  }
  ~MysqlSource() override {
    if (!in_txn_) return;
    try {
      if (!conn().broken()) conn().execute("ROLLBACK");
    } catch (...) {
      // The connection is dropped from the cache when broken; nothing to undo remotely.
    }
  }
  Dialect dialect() const override { return Dialect::Mysql; }
  SourceSchema read_schema(const std::vector<std::string> &only, bool views) override {
    return read_mysql_schema(conn(), db_, only, views);
  }
  int64_t begin_table(const std::string &table, const KeyRange &range) override {
    std::vector<MysqlRow> r =
        conn().query("SELECT COUNT(*) FROM " + mysql_quote_ident(db_) + "." +
                     mysql_quote_ident(table) + key_range_condition(range, Dialect::Mysql));
    if (r.empty() || r[0].empty() || !r[0][0]) throw Error(sqlstate::kFdwError, "COUNT(*) failed");
    return to_int64(*r[0][0]);
  }
  std::unique_ptr<RowStream> rows(const std::string &table, const std::vector<std::string> &columns,
                                  const ColumnTarget *targets, int ntargets, const char *relname,
                                  const KeyRange &range) override {
    table_ = table;
    return started(std::make_unique<MysqlReader>(
        config_.mysql, conn(), range_select(db_, table, columns, range, Dialect::Mysql), targets,
        ntargets, relname, table_.c_str(), config_.mysql_tz));
  }
  std::optional<std::pair<int64_t, int64_t>> key_bounds(const std::string &table,
                                                        const std::string &column) override {
    std::string c = mysql_quote_ident(column);
    std::vector<MysqlRow> r = conn().query("SELECT MIN(" + c + "), MAX(" + c + ") FROM " +
                                           mysql_quote_ident(db_) + "." + mysql_quote_ident(table));
    if (r.empty() || r[0].size() != 2 || !r[0][0] || !r[0][1]) return std::nullopt;
    return std::make_pair(to_int64(*r[0][0]), to_int64(*r[0][1]));
  }
  int64_t estimate_rows(const std::string &table) override {
    std::vector<MysqlRow> r = conn().query(
        "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
        conn().quote_literal(db_) + " AND TABLE_NAME = " + conn().quote_literal(table));
    if (r.empty() || r[0].empty() || !r[0][0]) return 0;
    return to_int64(*r[0][0]);
  }
  std::vector<std::vector<std::optional<std::string>>> query(const std::string &sql) override {
    std::vector<std::vector<std::optional<std::string>>> out;
    for (MysqlRow &r : conn().query(sql)) out.emplace_back(r.begin(), r.end());
    return out;
  }
  bool datetimes_in_utc() const override { return config_.mysql_tz == nullptr; }
  std::optional<Position> snapshot_position(std::string *why) override {
    // MariaDB reports the binlog position of the consistent snapshot this
    // connection's transaction reads (START TRANSACTION WITH CONSISTENT SNAPSHOT).
    Position p;
    for (const MysqlRow &r : conn().query("SHOW STATUS LIKE 'binlog_snapshot_%'")) {
      if (r.size() < 2 || !r[0] || !r[1]) continue;
      if (ascii_lower(*r[0]) == "binlog_snapshot_file") p.file = *r[1];
      if (ascii_lower(*r[0]) == "binlog_snapshot_position") p.pos = to_int64(*r[1]);
    }
    if (p.file.empty()) {
      std::vector<MysqlRow> log_bin = conn().query("SELECT @@log_bin");
      const bool on =
          !log_bin.empty() && !log_bin[0].empty() && log_bin[0][0] && *log_bin[0][0] != "0";
      *why = on ? "the server does not report its snapshot's binlog position (only MariaDB has "
                  "binlog_snapshot_file): no position for change data capture"
                : "the source writes no binlog (log_bin is OFF): no position for change data "
                  "capture";
      return std::nullopt;
    }
    auto g = conn().query("SELECT BINLOG_GTID_POS(" + conn().quote_literal(p.file) + ", " +
                          std::to_string(p.pos) + ")");
    if (!g.empty() && !g[0].empty() && g[0][0]) p.gtid = *g[0][0];
    return p;
  }
  std::optional<int64_t> count_rows_up_to(const std::string &table, int64_t cap) override {
    std::vector<MysqlRow> r =
        conn().query("SELECT COUNT(*) FROM (SELECT 1 FROM " + mysql_quote_ident(db_) + "." +
                     mysql_quote_ident(table) + " LIMIT " + std::to_string(cap) + ") AS x");
    if (r.empty() || r[0].empty() || !r[0][0]) return std::nullopt;
    return to_int64(*r[0][0]);
  }
  std::map<std::string, std::string> next_ids() override {
    std::map<std::string, std::string> out;
    for (const MysqlRow &r :
         conn().query("SELECT TABLE_NAME, AUTO_INCREMENT FROM information_schema.TABLES WHERE "
                      "TABLE_SCHEMA = " +
                      conn().quote_literal(db_) + " AND AUTO_INCREMENT IS NOT NULL"))
      if (r.size() == 2 && r[0] && r[1]) out[*r[0]] = *r[1];
    return out;
  }
  std::set<std::string> times_beyond_day(const std::string &table,
                                         const std::vector<std::string> &columns) override {
    std::set<std::string> out;
    if (columns.empty()) return out;
    std::string sql = "SELECT ";
    for (size_t i = 0; i < columns.size(); i++) {
      std::string c = mysql_quote_ident(columns[i]);
      sql += (i ? ", " : "") + std::string("COALESCE(MAX(") + c + " < TIME'00:00:00' OR " + c +
             " >= TIME'24:00:00'), 0)";
    }
    sql += " FROM " + mysql_quote_ident(db_) + "." + mysql_quote_ident(table);
    std::vector<MysqlRow> r = conn().query(sql);
    for (size_t i = 0; i < columns.size(); i++)
      if (!r.empty() && i < r[0].size() && r[0][i] && *r[0][i] != "0") out.insert(columns[i]);
    return out;
  }

 private:
  MysqlConnection &conn() { return *lease_.conn; }
  SourceConfig config_;
  MysqlLease lease_;
  std::string db_;
  std::string table_;
  bool in_txn_ = false;
};

class SqliteSource : public MigrationSource {
 public:
  explicit SqliteSource(const SourceConfig &config)
      : config_(config), db_(sqlite_open(config.sqlite)) {}
  Dialect dialect() const override { return Dialect::Sqlite; }
  SourceSchema read_schema(const std::vector<std::string> &only, bool views) override {
    return read_sqlite_schema(*db_, only, views);
  }
  int64_t begin_table(const std::string &table, const KeyRange &range) override {
    // A connection of its own per table (or chunk), in a read transaction
    // that the count and the rows share.
    pending_ = sqlite_open(config_.sqlite);
    SqliteStatement(*pending_, "BEGIN").step();
    SqliteStatement count(*pending_, "SELECT count(*) FROM " + sqlite_quote_ident(table) +
                                         key_range_condition(range, Dialect::Sqlite));
    if (!count.step()) throw Error(sqlstate::kFdwError, "count(*) returned no row");
    Cell c = count.cell(0);
    return c.i;
  }
  std::unique_ptr<RowStream> rows(const std::string &table, const std::vector<std::string> &columns,
                                  const ColumnTarget *targets, int ntargets, const char *relname,
                                  const KeyRange &range) override {
    table_ = table;
    if (!pending_) begin_table(table, range);
    return started(std::make_unique<SqliteReader>(
        std::move(pending_), range_select("", table, columns, range, Dialect::Sqlite), targets,
        ntargets, false, relname, table_.c_str()));
  }
  std::set<std::string> times_beyond_day(const std::string &,
                                         const std::vector<std::string> &) override {
    return {};
  }
  std::optional<std::pair<int64_t, int64_t>> key_bounds(const std::string &table,
                                                        const std::string &column) override {
    // Only called for the rowid (INTEGER PRIMARY KEY): always an integer, and
    // min() and max() are one b-tree descent each.
    std::string c = sqlite_quote_ident(column);
    SqliteStatement st(*db_,
                       "SELECT min(" + c + "), max(" + c + ") FROM " + sqlite_quote_ident(table));
    if (!st.step()) return std::nullopt;
    Cell lo = st.cell(0), hi = st.cell(1);
    if (lo.storage != StorageClass::Integer || hi.storage != StorageClass::Integer)
      return std::nullopt;
    return std::make_pair(lo.i, hi.i);
  }
  int64_t estimate_rows(const std::string &table) override {
    SqliteStatement st(*db_, "SELECT count(*) FROM " + sqlite_quote_ident(table));
    if (!st.step()) return 0;
    return st.cell(0).i;
  }
  std::optional<int64_t> count_rows_up_to(const std::string &, int64_t) override {
    return std::nullopt;  // estimate_rows counts exactly
  }
  void scan_cells(const std::string &sql,
                  const std::function<void(const Cell *, int)> &row) override {
    SqliteStatement st(*db_, sql);
    std::vector<Cell> cells(static_cast<size_t>(st.column_count()));
    int64_t n = 0;
    while (st.step()) {
      if (++n % 1000 == 0) check_for_interrupts();
      for (size_t i = 0; i < cells.size(); i++) cells[i] = st.cell(static_cast<int>(i));
      row(cells.data(), static_cast<int>(cells.size()));
    }
  }
  std::vector<std::vector<std::optional<std::string>>> query(const std::string &sql) override {
    static const char hex[] = "0123456789abcdef";
    std::vector<std::vector<std::optional<std::string>>> out;
    SqliteStatement st(*db_, sql);
    while (st.step()) {
      std::vector<std::optional<std::string>> row;
      for (int i = 0; i < st.column_count(); i++) {
        Cell c = st.cell(i);
        switch (c.storage) {
          case StorageClass::Null:
            row.emplace_back(std::nullopt);
            break;
          case StorageClass::Integer:
            row.emplace_back(std::to_string(c.i));
            break;
          case StorageClass::Float:
            row.emplace_back(std::to_string(c.d));
            break;
          case StorageClass::Text:
            row.emplace_back(std::string(c.bytes));
            break;
          default: {
            std::string h;
            for (unsigned char b : c.bytes) {
              h += hex[b >> 4];
              h += hex[b & 0xf];
            }
            row.emplace_back(std::move(h));
          }
        }
      }
      out.push_back(std::move(row));
    }
    return out;
  }
  std::map<std::string, std::string> next_ids() override {
    std::map<std::string, std::string> out;
    SqliteStatement exists(
        *db_, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_sequence'");
    if (!exists.step()) return out;
    SqliteStatement st(*db_, "SELECT name, seq FROM sqlite_sequence");
    while (st.step()) {
      Cell name = st.cell(0), seq = st.cell(1);
      if (name.storage == StorageClass::Text && seq.storage == StorageClass::Integer)
        out[std::string(name.bytes)] =
            seq.i == INT64_MAX ? std::string("9223372036854775808") : std::to_string(seq.i + 1);
    }
    return out;
  }

 private:
  SourceConfig config_;
  std::unique_ptr<SqliteDatabase> db_;
  std::unique_ptr<SqliteDatabase> pending_;
  std::string table_;
};

}  // namespace

void source_config(Oid serverid, SourceConfig *out) {
  ForeignServer *server = GetForeignServer(serverid);
  ForeignDataWrapper *fdw = GetForeignDataWrapper(server->fdwid);
  AclResult acl = pg_foreign_server_aclcheck(serverid, GetUserId(), ACL_USAGE);
  if (acl != ACLCHECK_OK) aclcheck_error(acl, OBJECT_FOREIGN_SERVER, server->servername);
  out->server_name = server->servername;
  out->mysql_tz = nullptr;
  if (strcmp(fdw->fdwname, "minibar_mysql") == 0) {
    out->dialect = Dialect::Mysql;
    mysql_server_config(serverid, &out->mysql);
    if (!out->mysql.dbname)
      ereport(ERROR, (errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
                      errmsg("server \"%s\" has no dbname option", server->servername),
                      errhint("ALTER SERVER %s OPTIONS (ADD dbname 'the MySQL database');",
                              quote_identifier(server->servername))));
    out->mysql_tz = mysql_source_tz(out->mysql);
  } else if (strcmp(fdw->fdwname, "minibar_sqlite") == 0) {
    out->dialect = Dialect::Sqlite;
    sqlite_server_config(serverid, &out->sqlite);
  } else {
    ereport(ERROR, (errcode(ERRCODE_WRONG_OBJECT_TYPE),
                    errmsg("server \"%s\" does not use minibar_mysql or minibar_sqlite",
                           server->servername),
                    errdetail("Its foreign-data wrapper is \"%s\".", fdw->fdwname)));
  }
}

std::unique_ptr<MigrationSource> open_source(const SourceConfig &config) {
  if (config.dialect == Dialect::Mysql) return std::make_unique<MysqlSource>(config);
  return std::make_unique<SqliteSource>(config);
}

namespace {

class MysqlCommitFence : public CommitFence {
 public:
  MysqlCommitFence(std::unique_ptr<MysqlConnection> conn, std::string release)
      : conn_(std::move(conn)), release_(std::move(release)) {}
  ~MysqlCommitFence() override {
    try {
      if (!conn_->broken()) conn_->execute(release_);
    } catch (...) {
      // Closing the connection (next) releases the lock as well.
    }
  }

 private:
  std::unique_ptr<MysqlConnection> conn_;
  std::string release_;
};

}  // namespace

std::unique_ptr<CommitFence> hold_source_commits(const SourceConfig &config, int lock_wait_seconds,
                                                 std::string *why) {
  if (config.dialect != Dialect::Mysql) {
    *why = "SQLite has no binlog";
    return nullptr;
  }
  try {
    std::unique_ptr<MysqlConnection> conn =
        MysqlConnection::connect(mysql_client_options(config.mysql));
    std::vector<MysqlRow> log_bin = conn->query("SELECT @@log_bin");
    if (log_bin.empty() || log_bin[0].empty() || !log_bin[0][0] || *log_bin[0][0] == "0") {
      *why = "the source writes no binlog (log_bin is OFF)";  // nothing to hold commits for
      return nullptr;
    }
    conn->execute("SET SESSION lock_wait_timeout = " + std::to_string(lock_wait_seconds));
    try {
      // MariaDB 10.4+: commits wait; nothing waits for long reads to end.
      conn->execute("BACKUP STAGE START");
      conn->execute("BACKUP STAGE BLOCK_COMMIT");
      return std::make_unique<MysqlCommitFence>(std::move(conn), "BACKUP STAGE END");
    } catch (const Error &e) {
      // MySQL has no BACKUP STAGE (a syntax error): the global read lock instead.
      if (std::string(e.what()).find("error 1064") == std::string::npos || conn->broken()) throw;
    }
    conn->execute("FLUSH TABLES WITH READ LOCK");
    return std::make_unique<MysqlCommitFence>(std::move(conn), "UNLOCK TABLES");
  } catch (const Error &e) {
    *why = std::string(
               "could not hold the source's commits while the workers opened their "
               "snapshots: ") +
           e.what();
    return nullptr;
  }
}

SourceSchema read_selected_schema(MigrationSource &src, const OptionsKind &kind,
                                  const std::vector<std::string> &tables,
                                  const std::vector<std::string> &exclude,
                                  const MigrateRules *rules, bool views) {
  SourceSchema schema;
  try {
    schema = src.read_schema(tables, views);
  } catch (const Error &e) {
    // A name in "tables" the source lacks is a bad option value, not a lost table.
    if (tables.empty() || e.sqlstate() != std::string(sqlstate::kFdwTableNotFound)) throw;
    bad_option(kind, "tables", e.what());
  }
  if (!views)
    for (const SourceTable &t : schema.tables)
      if (t.view)
        bad_option(kind, "tables",
                   "\"" + t.name +
                       "\" is a view, not a table; views are copied only with "
                       "{\"views\": \"materialize\"} (migrate_database, validate_database)");
  MigrateRules none;
  std::optional<OptionProblem> problem =
      check_named_options(rules ? *rules : none, exclude, schema);
  if (problem) bad_option(kind, problem->key, problem->why);
  std::set<std::string> excluded(exclude.begin(), exclude.end());
  std::vector<SourceTable> kept;
  for (SourceTable &t : schema.tables)
    if (!excluded.count(t.name)) kept.push_back(std::move(t));
  schema.tables = std::move(kept);
  std::vector<SourceObject> others;  // an excluded view is not reported either
  for (SourceObject &o : schema.others)
    if (o.kind != "view" || !excluded.count(o.name)) others.push_back(std::move(o));
  schema.others = std::move(others);
  return schema;
}

namespace {

// CPU time this backend has used (wall time also counts waiting for a CPU).
double process_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1000.0 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

void measure_sqlite_values(MigrationSource &src, SourceSchema &schema, const MigrateRules *rules) {
  if (schema.dialect != Dialect::Sqlite) return;
  for (SourceTable &t : schema.tables) {
    check_for_interrupts();
    std::vector<SourceColumn *> cols;
    std::vector<std::pair<std::string, std::string>> named;
    for (SourceColumn &c : t.columns)
      if (!c.auto_increment && sqlite_type_depends_on_values(c.declared) &&
          !(rules && rule_type_for(*rules, Dialect::Sqlite, t.name, c))) {
        cols.push_back(&c);
        named.emplace_back(c.name, c.declared);
      }
    if (cols.empty()) continue;
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = process_cpu_ms();
    auto rows = src.query(sqlite_profile_sql(t.name, named));
    if (rows.size() != 1 || rows[0].size() != cols.size() * kSqliteProfileFields)
      throw Error(sqlstate::kFdwError,
                  "could not measure the values of SQLite table \"" + t.name + "\"");
    for (size_t i = 0; i < cols.size(); i++) {
      int64_t f[kSqliteProfileFields];
      for (int k = 0; k < kSqliteProfileFields; k++) {
        const auto &cell = rows[0][i * kSqliteProfileFields + k];
        f[k] = cell ? to_int64(*cell, "a SQLite count") : 0;
      }
      cols[i]->values = sqlite_profile_of(f);
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    const double cpu_ms = process_cpu_ms() - cpu_started;
    const std::string what = "measured " + std::to_string(cols.size()) +
                             " column(s) of SQLite table \"" + t.name + "\" in one scan";
    pg_call([&] {
      elog(DEBUG1, "minibar_migrate: %s: %.1f ms (%.1f ms of CPU)", what.c_str(), ms, cpu_ms);
    });
  }
}

}  // namespace minibar::pg
