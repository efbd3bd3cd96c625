// validate_checksums: compares a source table (minibar_mysql / minibar_sqlite)
// with a PostgreSQL table in key-range chunks. Each source row is converted
// to the target's column types by the migration's own conversion (the documented type
// mapping), then every value on both sides is encoded by its type's binary
// send function and hashed (core/row_hash); a chunk is its row count and the
// sum of its row hashes. A chunk that differs is read again keyed, to name
// the rows that are missing, extra or changed. Memory: one chunk's keys and
// hashes at most, only for a chunk that differs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/plan/chunk_plan.hpp"
#include "core/convert/row_hash.hpp"
#include "pg/remote/source.hpp"

namespace minibar::pg {

struct ValidateOptions {
  int64_t chunk_size = 100000;       // rows per chunk (by the row estimate)
  int64_t diff_rows = 100;           // at most this many row differences reported
  bool ignore_missing = false;       // target columns not in the source are skipped
  bool ignore_extra = false;         // source columns not in the target are skipped
  bool pushdown = true;              // MySQL: checksums computed on both servers where eligible
  std::vector<std::string> tables;   // validate_database: only these source tables
  std::vector<std::string> exclude;  // validate_database: not these
  bool raise_on_mismatch = false;    // validate_database: an ERROR when anything differs
  bool views = false;                // validate_database: also views ("views": "materialize")
};

// Parses the options jsonb (SPI); 22023 for unknown keys and bad values.
// "tables" and "exclude" only for the database-wide form.
ValidateOptions parse_validate_options(const std::string &json, bool database_level);

struct ChunkReport {
  int chunk = 0;           // 1-based
  std::string key_column;  // target column the chunks are ranges of ("" when one chunk)
  KeyRange range;
  int64_t source_rows = 0, target_rows = 0;
  std::string source_hash, target_hash;  // 16 hex digits (streamed) or a decimal sum (pushdown)
  int64_t unconvertible = 0;             // source rows the conversion refuses
  std::string detail;
  bool ok() const {
    return source_rows == target_rows && source_hash == target_hash && unconvertible == 0;
  }
};

struct RowDifference {
  int chunk = 0;
  std::string key;   // the key value
  std::string what;  // missing in target, extra in target, different values...
};

struct ValidateResult {
  std::vector<ChunkReport> chunks;
  std::vector<RowDifference> rows;  // at most diff_rows
  int64_t rows_found = 0;           // differing rows found (may exceed rows.size())
  std::string target;               // the target, qualified and quoted
  bool pushdown = false;            // checksums computed on both servers
};

// Compares remote_table with target (an existing table, columns matched by
// name as migrate_table matches them).
ValidateResult validate_table(MigrationSource &src, const std::string &remote_table, Oid target,
                              const ValidateOptions &options);

// Resume: compares rows of remote_table (the source's current snapshot) with
// target, one key range at a time (range.column: the source's key column;
// a whole range for a table copied in one piece), by count and checksum, the
// columns paired as given. Returns per range "" when they are equal, else what
// differs.
std::vector<std::string> ranges_differ(MigrationSource &src, const std::string &remote_table,
                                       Oid target, const std::vector<std::string> &source_columns,
                                       const std::vector<std::string> &target_columns,
                                       const std::vector<KeyRange> &ranges);

}  // namespace minibar::pg
