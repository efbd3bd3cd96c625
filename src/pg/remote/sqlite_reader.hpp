// Streams the rows of a remote SQLite query into PostgreSQL values: one
// sqlite3_step per row, each value converted straight into a Datum
// (pg/remote/row_reader.hpp). Shared by the foreign scan and ANALYZE.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/sqlite/client.hpp"
#include "pg/remote/row_reader.hpp"

namespace minibar::pg {

class SqliteReader : public RowReader {
 public:
  // targets: the foreign table's fetched columns, in the remote SELECT's order
  // (after the rowid locator when has_locator). Both name strings are used in
  // error messages. The arrays must outlive the reader.
  SqliteReader(std::unique_ptr<SqliteDatabase> db, const std::string &sql,
               const ColumnTarget *targets, int ntargets, bool has_locator, const char *relname,
               const char *remote_table);

  // Rewinds and binds the statement's parameters.
  void start(const std::vector<SqlValue> &params) override;
  bool next() override;
  std::string describe_value(int column) const override;
  bool source_null(int column) const override;
  void append_json(std::string &out, int column) const override;

 protected:
  void convert(int column, Converted *out) override;
  // The table, and the rowid when the query fetches it.
  std::string row_label() const override;

 private:
  std::unique_ptr<SqliteDatabase> db_;
  SqliteStatement stmt_;
  int offset_;  // 1 when the first remote column is the rowid locator
  std::vector<CellScratch> scratch_;
};

}  // namespace minibar::pg
