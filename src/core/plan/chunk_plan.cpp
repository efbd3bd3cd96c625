#include "core/plan/chunk_plan.hpp"

#include <stdexcept>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

// Number of key values in [min, max]; unsigned: max - min + 1 may not fit in int64_t.
unsigned __int128 key_span(int64_t min, int64_t max) {
  return static_cast<unsigned __int128>(static_cast<__int128>(max) - static_cast<__int128>(min)) +
         1;
}

}  // namespace

int chunk_count(int64_t rows, int64_t min, int64_t max, int64_t chunk_size, int max_chunks) {
  if (min > max) throw std::invalid_argument("key range: min > max");
  if (chunk_size < 1 || max_chunks < 1) throw std::invalid_argument("key range: bad chunk size");
  const unsigned __int128 span = key_span(min, max);
  const unsigned __int128 n = rows < 0 ? span : static_cast<unsigned __int128>(rows);
  const unsigned __int128 width = static_cast<unsigned __int128>(chunk_size);
  unsigned __int128 count = (n + width - 1) / width;
  if (count > span) count = span;
  if (count > static_cast<unsigned __int128>(max_chunks))
    count = static_cast<unsigned __int128>(max_chunks);
  if (count < 1) count = 1;
  return static_cast<int>(count);
}

std::vector<KeyRange> split_key_range(const std::string &column, int64_t min, int64_t max,
                                      int chunks) {
  if (min > max) throw std::invalid_argument("key range: min > max");
  if (chunks < 1) throw std::invalid_argument("key range: fewer than one chunk");
  const unsigned __int128 span = key_span(min, max);
  unsigned __int128 count = static_cast<unsigned __int128>(chunks);
  if (count > span) count = span;
  const unsigned __int128 width = (span + count - 1) / count;
  // Ceiling width can leave the last ranges empty: stop once the span is covered.
  count = (span + width - 1) / width;
  std::vector<KeyRange> out;
  for (unsigned __int128 i = 0; i < count; i++) {
    KeyRange r;
    r.column = column;
    if (i > 0)
      r.lo = static_cast<int64_t>(static_cast<__int128>(min) + static_cast<__int128>(i * width));
    if (i + 1 < count)
      r.hi =
          static_cast<int64_t>(static_cast<__int128>(min) + static_cast<__int128>((i + 1) * width));
    out.push_back(std::move(r));
  }
  return out;
}

std::string chunk_key_column(const SourceTable &table, Dialect dialect) {
  const SourceIndex *pk = table.primary_key();
  if (!pk || pk->columns.size() != 1) return "";
  const SourceColumn *col = table.column(pk->columns[0].column);
  if (!col) return "";
  if (dialect == Dialect::Sqlite) return col->auto_increment ? col->name : "";
  const std::string &t = col->mysql.data_type;
  bool integer = t == "tinyint" || t == "smallint" || t == "mediumint" || t == "int" ||
                 t == "integer" || t == "bigint";
  bool unsigned_big = t == "bigint" && col->mysql.column_type.find("unsigned") != std::string::npos;
  return integer && !unsigned_big ? col->name : "";
}

namespace {

std::string condition(const std::string &quoted, const KeyRange &range) {
  if (range.whole()) return "";
  std::string sql;
  if (range.lo) sql += " WHERE " + quoted + " >= " + std::to_string(*range.lo);
  if (range.hi)
    sql += (sql.empty() ? " WHERE " : " AND ") + quoted + " < " + std::to_string(*range.hi);
  return sql;
}

}  // namespace

std::string key_range_condition(const KeyRange &range, Dialect dialect) {
  return condition(dialect == Dialect::Mysql ? mysql_quote_ident(range.column)
                                             : sqlite_quote_ident(range.column),
                   range);
}

std::string pg_key_range_condition(const std::string &column, const KeyRange &range) {
  return condition(pg_quote_ident(column), range);
}

}  // namespace minibar
