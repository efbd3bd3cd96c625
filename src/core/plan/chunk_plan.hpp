// Key-range chunks of a big table: how a table with an integer key is split
// so that several workers copy it at once and a resumed run redoes only the
// chunk that was in flight. Pure C++, unit-tested.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/plan/remote_query.hpp"
#include "core/schema/model.hpp"

namespace minibar {

// Rows whose key k satisfies lo <= k < hi; a missing bound is open, and an
// empty column means the whole table.
struct KeyRange {
  std::string column;
  std::optional<int64_t> lo, hi;
  bool whole() const { return column.empty(); }
};

// How many chunks a table of `rows` rows with keys in [min, max] is cut into
// so that each holds about chunk_size rows: ceil(rows / chunk_size), at least
// 1, at most max_chunks and at most the number of key values in [min, max].
// rows < 0 (unknown) counts every key value in [min, max] as a row. Sparse
// keys thus give as many chunks as the rows need, not as the key span would.
// Throws std::invalid_argument when min > max, chunk_size < 1 or
// max_chunks < 1.
int chunk_count(int64_t rows, int64_t min, int64_t max, int64_t chunk_size, int max_chunks);

// Splits [min, max] into `chunks` ranges of equal key width (fewer when there
// are fewer key values). The first range has no lower bound and the last no
// upper bound, so rows added outside [min, max] are still in exactly one
// chunk. Throws std::invalid_argument when min > max or chunks < 1.
std::vector<KeyRange> split_key_range(const std::string &column, int64_t min, int64_t max,
                                      int chunks);

// The column a table can be split on: a one-column primary key of an integer
// type that fits int64 (MySQL TINYINT..BIGINT, not BIGINT UNSIGNED; SQLite's
// INTEGER PRIMARY KEY, the rowid). Empty when there is none.
std::string chunk_key_column(const SourceTable &table, Dialect dialect);

// " WHERE <col> >= lo AND <col> < hi" (only the bounds that are set) with the
// column quoted for the dialect; "" for the whole table or an unbounded range.
std::string key_range_condition(const KeyRange &range, Dialect dialect);

// The same condition for PostgreSQL on target column `column`.
std::string pg_key_range_condition(const std::string &column, const KeyRange &range);

}  // namespace minibar
