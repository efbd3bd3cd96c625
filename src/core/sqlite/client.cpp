#include "core/sqlite/client.hpp"

#include "core/convert/cell_convert.hpp"

#include <sqlite3.h>

#include <chrono>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

// Statements run this many SQLite VM steps between interrupt checks.
constexpr int kProgressSteps = 1000;
// Longest sleep between lock retries, so an interrupt is seen quickly.
constexpr int kBusySleepMs = 10;

int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

const char *rc_name(int rc) {
  switch (rc & 0xff) {
    case SQLITE_ERROR:
      return "SQLITE_ERROR";
    case SQLITE_INTERNAL:
      return "SQLITE_INTERNAL";
    case SQLITE_PERM:
      return "SQLITE_PERM";
    case SQLITE_ABORT:
      return "SQLITE_ABORT";
    case SQLITE_BUSY:
      return "SQLITE_BUSY";
    case SQLITE_LOCKED:
      return "SQLITE_LOCKED";
    case SQLITE_NOMEM:
      return "SQLITE_NOMEM";
    case SQLITE_READONLY:
      return "SQLITE_READONLY";
    case SQLITE_INTERRUPT:
      return "SQLITE_INTERRUPT";
    case SQLITE_IOERR:
      return "SQLITE_IOERR";
    case SQLITE_CORRUPT:
      return "SQLITE_CORRUPT";
    case SQLITE_CANTOPEN:
      return "SQLITE_CANTOPEN";
    case SQLITE_SCHEMA:
      return "SQLITE_SCHEMA";
    case SQLITE_TOOBIG:
      return "SQLITE_TOOBIG";
    case SQLITE_MISMATCH:
      return "SQLITE_MISMATCH";
    case SQLITE_MISUSE:
      return "SQLITE_MISUSE";
    case SQLITE_AUTH:
      return "SQLITE_AUTH";
    case SQLITE_RANGE:
      return "SQLITE_RANGE";
    case SQLITE_NOTADB:
      return "SQLITE_NOTADB";
    default:
      return "SQLITE_?";
  }
}

const char *rc_sqlstate(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return sqlstate::kLockNotAvailable;
    case SQLITE_INTERRUPT:
      return sqlstate::kQueryCanceled;
    case SQLITE_CANTOPEN:
    case SQLITE_NOTADB:
    case SQLITE_PERM:
      return sqlstate::kFdwUnableToConnect;
    case SQLITE_CORRUPT:
      return sqlstate::kDataCorrupted;
    case SQLITE_IOERR:
      return sqlstate::kIoError;
    default:
      return sqlstate::kFdwError;
  }
}

void utf8_valid_function(sqlite3_context *ctx, int, sqlite3_value **argv) {
  const void *p = sqlite3_value_blob(argv[0]);
  const int n = sqlite3_value_bytes(argv[0]);
  bool ok = true;
  try {
    ok = is_valid_utf8(std::string_view(static_cast<const char *>(p), static_cast<size_t>(n)));
  } catch (...) {
    ok = false;
  }
  sqlite3_result_int(ctx, ok ? 1 : 0);
}

std::string errmsg_of(sqlite3 *db, int rc) {
  const char *m = db ? sqlite3_errmsg(db) : nullptr;
  return m ? m : sqlite3_errstr(rc);
}

}  // namespace

SqliteDatabase::SqliteDatabase(Options options) : opts_(std::move(options)) {
  if (opts_.path.empty())
    throw Error(sqlstate::kFdwUnableToConnect, opts_.label + ": no SQLite database file given");
  int rc = sqlite3_open_v2(opts_.path.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                           nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = errmsg_of(db_, rc);
    sqlite3_close(db_);  // harmless on nullptr
    db_ = nullptr;
    throw Error(rc_sqlstate(rc),
                opts_.label + ": could not open SQLite database \"" + opts_.path + "\": " + msg,
                std::string("SQLite result code ") + rc_name(rc),
                "The file must exist and be readable by the operating-system user that runs "
                "the PostgreSQL server.");
  }
  sqlite3_extended_result_codes(db_, 1);
  // Nothing in the source file (views, triggers) may call functions with side effects.
  sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, opts_.trusted_schema ? 1 : 0, nullptr);
  sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  // minibar_utf8_valid(x): 1 when x's bytes are valid UTF-8 (preflight).
  sqlite3_create_function_v2(db_, "minibar_utf8_valid", 1,
                             SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                             &utf8_valid_function, nullptr, nullptr, nullptr);
  sqlite3_progress_handler(db_, kProgressSteps, &SqliteDatabase::on_progress, this);
  sqlite3_busy_handler(db_, &SqliteDatabase::on_busy, this);
  // Reading the schema proves the file is a database (SQLITE_NOTADB otherwise).
  try {
    SqliteStatement probe(*this, "SELECT count(*) FROM sqlite_schema");
    probe.step();
  } catch (...) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw;
  }
}

SqliteDatabase::~SqliteDatabase() {
  if (db_) sqlite3_close_v2(db_);
}

int SqliteDatabase::on_progress(void *self) {
  auto *db = static_cast<SqliteDatabase *>(self);
  return db->opts_.interrupt_requested && db->opts_.interrupt_requested() ? 1 : 0;
}

int SqliteDatabase::on_busy(void *self, int count) {
  auto *db = static_cast<SqliteDatabase *>(self);
  if (count == 0) db->busy_started_ms_ = now_ms();
  if (db->opts_.interrupt_requested && db->opts_.interrupt_requested()) return 0;
  int64_t waited = now_ms() - db->busy_started_ms_;
  if (waited >= db->opts_.busy_timeout_ms) return 0;
  int64_t left = db->opts_.busy_timeout_ms - waited;
  sqlite3_sleep(static_cast<int>(left < kBusySleepMs ? left : kBusySleepMs));
  return 1;
}

void SqliteDatabase::fail(int rc, const std::string &what) const {
  if ((rc & 0xff) == SQLITE_INTERRUPT ||
      (opts_.interrupt_requested && opts_.interrupt_requested() &&
       ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)))
    throw SqliteInterrupted();
  std::string hint;
  if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
    hint =
        "Another process holds a lock on the SQLite database; raise the server option "
        "busy_timeout (now " +
        std::to_string(opts_.busy_timeout_ms) + " ms) to wait longer.";
  std::string message = errmsg_of(db_, rc);
  if (message.find("unsafe use of") != std::string::npos)
    hint =
        "The file's schema calls a function SQLite does not trust there. If the file is trusted, "
        "set the server option trusted_schema 'true'.";
  throw Error(rc_sqlstate(rc), opts_.label + ": " + what + ": " + message,
              std::string("SQLite result code ") + rc_name(rc) + " (" + std::to_string(rc) + ")",
              hint);
}

std::vector<SqliteTable> SqliteDatabase::tables() {
  SqliteStatement st(*this,
                     "SELECT name, type FROM sqlite_schema WHERE type IN ('table', 'view') "
                     "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name");
  std::vector<SqliteTable> out;
  while (st.step()) {
    Cell name = st.cell(0), type = st.cell(1);
    out.push_back({std::string(name.bytes), type.bytes == "view"});
  }
  return out;
}

std::optional<std::vector<SqliteColumn>> SqliteDatabase::columns(const std::string &table) {
  SqliteStatement st(*this,
                     "SELECT name, type, \"notnull\", pk, hidden FROM pragma_table_xinfo(?) "
                     "WHERE hidden <> 1 ORDER BY cid");
  st.bind(1, table);
  std::vector<SqliteColumn> out;
  while (st.step()) {
    SqliteColumn c;
    c.name = std::string(st.cell(0).bytes);
    c.declared_type = std::string(st.cell(1).bytes);
    c.not_null = st.cell(2).i != 0;
    c.pk_position = static_cast<int>(st.cell(3).i);
    c.generated = st.cell(4).i >= 2;
    out.push_back(std::move(c));
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string SqliteDatabase::row_locator(const std::string &table,
                                        const std::vector<SqliteColumn> &columns) {
  {
    // Views have no rowid (and max(rowid) over a view would run the view).
    SqliteStatement kind(*this, "SELECT type FROM sqlite_schema WHERE name = ? COLLATE NOCASE");
    kind.bind(1, table);
    if (kind.step() && kind.cell(0).bytes == "view") return "";
  }
  for (const char *alias : {"rowid", "_rowid_", "oid"}) {
    bool shadowed = false;
    for (const auto &c : columns)
      if (sqlite3_stricmp(c.name.c_str(), alias) == 0) shadowed = true;
    if (shadowed) continue;
    sqlite3_stmt *probe = nullptr;
    std::string sql =
        std::string("SELECT ") + alias + " FROM " + sqlite_quote_ident(table) + " LIMIT 0";
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &probe, nullptr);
    sqlite3_finalize(probe);
    return rc == SQLITE_OK ? alias : "";
  }
  return "";
}

std::optional<int64_t> SqliteDatabase::max_rowid(const std::string &table,
                                                 const std::string &locator) {
  if (locator.empty()) return std::nullopt;
  SqliteStatement st(*this, "SELECT max(" + locator + ") FROM " + sqlite_quote_ident(table));
  if (!st.step()) return std::nullopt;
  Cell c = st.cell(0);
  if (c.storage == StorageClass::Null) return 0;
  if (c.storage != StorageClass::Integer) return std::nullopt;
  return c.i;
}

SqliteStatement::SqliteStatement(SqliteDatabase &db, const std::string &sql) : db_(db), sql_(sql) {
  int rc = sqlite3_prepare_v2(db_.handle(), sql_.c_str(), static_cast<int>(sql_.size()), &stmt_,
                              nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    db_.fail(rc, "could not prepare \"" + sql_ + "\"");
  }
  if (!stmt_) db_.fail(SQLITE_MISUSE, "empty statement \"" + sql_ + "\"");
}

SqliteStatement::~SqliteStatement() {
  sqlite3_finalize(stmt_);
}

void SqliteStatement::bind(int index, const SqlValue &value) {
  int rc = SQLITE_OK;
  if (std::holds_alternative<std::monostate>(value)) {
    rc = sqlite3_bind_null(stmt_, index);
  } else if (auto *i = std::get_if<int64_t>(&value)) {
    rc = sqlite3_bind_int64(stmt_, index, *i);
  } else if (auto *d = std::get_if<double>(&value)) {
    rc = sqlite3_bind_double(stmt_, index, *d);
  } else if (auto *s = std::get_if<std::string>(&value)) {
    rc = sqlite3_bind_text64(stmt_, index, s->data(), s->size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  } else if (auto *b = std::get_if<Blob>(&value)) {
    rc = sqlite3_bind_blob64(stmt_, index, b->bytes.data(), b->bytes.size(), SQLITE_TRANSIENT);
  } else if (auto *n = std::get_if<Decimal>(&value)) {
    rc = sqlite3_bind_text64(stmt_, index, n->text.data(), n->text.size(), SQLITE_TRANSIENT,
                             SQLITE_UTF8);
  }
  if (rc != SQLITE_OK) db_.fail(rc, "could not bind parameter " + std::to_string(index));
}

bool SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail(rc, "could not execute \"" + sql_ + "\"");
}

void SqliteStatement::reset() {
  sqlite3_reset(stmt_);
}

int SqliteStatement::column_count() const {
  return sqlite3_column_count(stmt_);
}

Cell SqliteStatement::cell(int column) const {
  Cell c;
  switch (sqlite3_column_type(stmt_, column)) {
    case SQLITE_INTEGER:
      c.storage = StorageClass::Integer;
      c.i = sqlite3_column_int64(stmt_, column);
      break;
    case SQLITE_FLOAT:
      c.storage = StorageClass::Float;
      c.d = sqlite3_column_double(stmt_, column);
      break;
    case SQLITE_TEXT: {
      c.storage = StorageClass::Text;
      const unsigned char *p = sqlite3_column_text(stmt_, column);
      int n = sqlite3_column_bytes(stmt_, column);
      if (!p && n >= 0 && sqlite3_errcode(db_.handle()) == SQLITE_NOMEM)
        db_.fail(SQLITE_NOMEM, "could not read a text value");
      c.bytes = p ? std::string_view(reinterpret_cast<const char *>(p), static_cast<size_t>(n))
                  : std::string_view();
      break;
    }
    case SQLITE_BLOB: {
      c.storage = StorageClass::Blob;
      const void *p = sqlite3_column_blob(stmt_, column);
      int n = sqlite3_column_bytes(stmt_, column);
      if (!p && n > 0) db_.fail(SQLITE_NOMEM, "could not read a blob value");
      c.bytes = p ? std::string_view(static_cast<const char *>(p), static_cast<size_t>(n))
                  : std::string_view();
      break;
    }
    default:
      c.storage = StorageClass::Null;
  }
  return c;
}

}  // namespace minibar
