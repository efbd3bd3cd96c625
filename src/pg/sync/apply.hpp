// Applies decoded binlog row changes to one migrated table: prepared INSERT,
// UPDATE-by-key and DELETE-by-key statements (SPI plans kept across
// transactions), every value converted exactly as the copy converted it
// (convert_mysql_cell, then converted_to_datum for the target column).
#pragma once

#include <string>
#include <vector>

#include "core/binlog/event.hpp"
#include "core/error.hpp"
#include "pg/remote/datum_build.hpp"

namespace minibar::pg {

struct SyncTableSpec {
  std::string source_table;
  std::string target_table;       // quoted, schema-qualified, as recorded (for messages)
  Oid target_relid = InvalidOid;  // the target; statements name it as the catalog does now
  std::vector<std::string> source_columns, target_columns;  // same order
  std::vector<std::string> key_columns;                     // source names of the primary key
};

// A change this table cannot take as it stands (a value that does not
// convert, a key the target does not have, a column missing): the table is
// paused with this reason and nothing of it is applied.
class TableDiverged : public Error {
 public:
  using Error::Error;
};

class TableApplier {
 public:
  // PostgreSQL calls inside (a transaction and SPI must be active): reads the
  // target's columns and prepares the statements, kept in 'keep'.
  TableApplier(const SyncTableSpec &spec, pg_tz *tz, bool zero_date_is_error, MemoryContext keep);
  ~TableApplier();
  TableApplier(const TableApplier &) = delete;
  TableApplier &operator=(const TableApplier &) = delete;

  // Matches a table map's columns to ours by name (binlog_row_metadata=FULL).
  void bind(const TableMap &map);
  // Applies one change (Insert: after; Delete: before; Update: both).
  void apply(RowChange change, const RowImage *before, const RowImage *after);

 private:
  Datum value(const RowImage &img, size_t k, bool *isnull);
  std::string describe_key(const RowImage &img) const;

  SyncTableSpec spec_;
  pg_tz *tz_;
  MyConvertOptions convert_;
  std::vector<ColumnTarget> targets_;
  std::vector<size_t> key_;     // indexes into the columns
  std::vector<size_t> binlog_;  // column k's index in the bound table map
  std::vector<MyScratch> scratch_;
  MemoryContext row_cxt_ = nullptr;
  SPIPlanPtr insert_ = nullptr, update_ = nullptr, delete_ = nullptr;
};

}  // namespace minibar::pg
