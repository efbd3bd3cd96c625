#include "pg/remote/sqlite_reader.hpp"

#include "core/convert/describe.hpp"

namespace minibar::pg {

SqliteReader::SqliteReader(std::unique_ptr<SqliteDatabase> db, const std::string &sql,
                           const ColumnTarget *targets, int ntargets, bool has_locator,
                           const char *relname, const char *remote_table)
    : RowReader(targets, ntargets, relname, remote_table),
      db_(std::move(db)),
      stmt_(*db_, sql),
      offset_(has_locator ? 1 : 0),
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
  return "SQLite table \"" + std::string(remote_table_) + "\", rowid " +
         describe_cell(stmt_.cell(0));
}

std::string SqliteReader::describe_value(int column) const {
  return describe_cell(stmt_.cell(column + offset_));
}

bool SqliteReader::source_null(int column) const {
  return stmt_.cell(column + offset_).storage == StorageClass::Null;
}

void SqliteReader::append_json(std::string &out, int column) const {
  json_append_cell(out, stmt_.cell(column + offset_), kJsonValueLimit, &value_md5_hex);
}

void SqliteReader::convert(int column, Converted *out) {
  *out = convert_cell(stmt_.cell(column + offset_), targets_[column].kind,
                      scratch_[static_cast<size_t>(column)]);
}

}  // namespace minibar::pg
