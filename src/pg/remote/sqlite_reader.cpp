#include "pg/remote/sqlite_reader.hpp"

#include "core/convert/describe.hpp"
#include "pg/base/guard.hpp"
#include "pg/migrate/load/rejects.hpp"

namespace minibar::pg {

namespace {

// A short, printable rendering of a remote value for error messages.
std::string describe(const Cell &cell) {
  CellScratch scratch;
  switch (cell.storage) {
    case StorageClass::Null:
      return "NULL";
    case StorageClass::Integer:
      return std::to_string(cell.i);
    case StorageClass::Float:
      return std::string(format_double_shortest(cell.d, scratch));
    case StorageClass::Text:
      return describe_text(cell.bytes);
    case StorageClass::Blob:
      return describe_bytes(cell.bytes);
  }
  return "?";
}

}  // namespace

SqliteReader::SqliteReader(std::unique_ptr<SqliteDatabase> db, const std::string &sql,
                           const ColumnTarget *targets, int ntargets, bool has_locator,
                           const char *relname, const char *remote_table)
    : db_(std::move(db)),
      stmt_(*db_, sql),
      targets_(targets),
      ntargets_(ntargets),
      offset_(has_locator ? 1 : 0),
      relname_(relname),
      remote_table_(remote_table),
      converted_(static_cast<size_t>(ntargets)),
      scratch_(static_cast<size_t>(ntargets)) {}

void SqliteReader::start(const std::vector<SqlValue> &params) {
  stmt_.reset();
  for (size_t i = 0; i < params.size(); i++) stmt_.bind(static_cast<int>(i + 1), params[i]);
}

bool SqliteReader::next() {
  return stmt_.step();
}

std::string SqliteReader::row_label() const {
  if (offset_ == 0) return "SQLite table \"" + std::string(remote_table_) + "\"";
  Cell rowid = stmt_.cell(0);
  return "SQLite table \"" + std::string(remote_table_) + "\", rowid " + describe(rowid);
}

void SqliteReader::conversion_failed(int column, const Converted &c) const {
  const ColumnTarget &t = targets_[column];
  throw Error(c.sqlstate ? c.sqlstate : sqlstate::kInvalidText,
              "cannot convert the value of column \"" + std::string(t.attname) + "\" of " +
                  std::string(relkind_) + " \"" + relname_ +
                  "\": " + (c.reason ? c.reason : "invalid"),
              row_label() + ", value " + describe(stmt_.cell(column + offset_)),
              "Fix the value in the source, or give the column a type that can hold it.");
}

void SqliteReader::fill(Datum *values, bool *nulls) {
  fill_row(values, nulls, nullptr);
}

bool SqliteReader::try_fill(Datum *values, bool *nulls, RowFault *fault) {
  return fill_row(values, nulls, fault);
}

std::string SqliteReader::describe_value(int column) const {
  return describe(stmt_.cell(column + offset_));
}

bool SqliteReader::source_null(int column) const {
  return stmt_.cell(column + offset_).storage == StorageClass::Null;
}

void SqliteReader::append_json(std::string &out, int column) const {
  json_append_cell(out, stmt_.cell(column + offset_), kJsonValueLimit, &reject_md5_hex);
}

bool SqliteReader::fill_row(Datum *values, bool *nulls, RowFault *fault) {
  // Pure C++: fetch and convert every value, so failures throw before any
  // PostgreSQL call.
  current_ = -1;
  for (int i = 0; i < ntargets_; i++) {
    auto idx = static_cast<size_t>(i);
    converted_[idx] = convert_cell(stmt_.cell(i + offset_), targets_[i].kind, scratch_[idx]);
    if (converted_[idx].kind == Converted::Kind::Error) {
      if (!fault) conversion_failed(i, converted_[idx]);
      fault->column = i;
      fault->sqlstate =
          converted_[idx].sqlstate ? converted_[idx].sqlstate : sqlstate::kInvalidText;
      fault->reason = converted_[idx].reason ? converted_[idx].reason : "invalid";
      fault->value = describe_value(i);
      return false;
    }
  }
  // PostgreSQL: build the Datums; a PostgreSQL error (e.g. invalid JSON for a
  // jsonb column) gets the column and row added to its context.
  try {
    pg_call([&] {
      for (int i = 0; i < ntargets_; i++) {
        current_ = i;
        AttrNumber att = targets_[i].attnum;
        values[att - 1] =
            converted_to_datum(converted_[static_cast<size_t>(i)], targets_[i], &nulls[att - 1]);
      }
    });
  } catch (const PgError &e) {
    if (fault) throw;
    int col = current_;
    std::string where = col < 0
                            ? row_label()
                            : "column \"" + std::string(targets_[col].attname) + "\" of " +
                                  std::string(relkind_) + " \"" + relname_ + "\", " + row_label() +
                                  ", value " + describe(stmt_.cell(col + offset_));
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
