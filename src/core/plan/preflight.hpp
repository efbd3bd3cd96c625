// preflight: what to look at before moving a database. From the source's
// definition (SourceSchema) it derives findings that need no query (tables
// without a primary key, objects that will not move, case-insensitive
// collations) and queries to run on the source, each returning one row
// (count, example) in the source's own SQL. Pure C++, unit-tested; the
// PostgreSQL layer runs the queries and reports the counts that are not 0.
// Whether values convert is not asked of the source in SQL: the PostgreSQL
// layer streams each table through the migration's own row reader and
// converters, and ValueTally turns what they refuse into findings.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/plan/remote_query.hpp"
#include "core/schema/model.hpp"

namespace minibar {

struct PreflightFinding {
  std::string severity;  // error (rows will be rejected), warning, info
  std::string table, column, check;
  int64_t count = -1;  // -1: not a count
  std::string example, advice;
};

struct PreflightQuery {
  PreflightFinding finding;  // count and example come from the query
  std::string sql;           // one row: count, example (NULL when none)
  bool always = false;       // report even when the count is 0 (sizes)
};

struct PreflightPlan {
  std::vector<PreflightFinding> fixed;
  std::vector<PreflightQuery> queries;
};

PreflightPlan plan_preflight(const SourceSchema &schema);

// What migrate_* will do with what a finding counts, as the migration does it:
// "reject" (the rows go to minibar_migrate.rejects), "note" (the run records a
// note: a foreign key created NOT VALID, an object not moved, a type chosen
// from the stored values), "copy" (the rows are copied; MySQL zero dates in a
// nullable column as NULL), or "unknown" (the check could not run).
std::string preflight_action(const PreflightFinding &f);

// The check a value the migration refuses is reported under, from the
// refusal's SQLSTATE and reason (the converter's, or PostgreSQL's message):
// invalid_utf8, nul_byte, zero_date (MySQL with zero_dates 'error'),
// enum_error_value, invalid_json (a jsonb/json target), else invalid_value.
std::string value_check_name(const std::string &sqlstate, const std::string &reason,
                             const std::string &target_type);

// What the migration's reader did with one table's values, as preflight
// findings: per column and check, how many rows, up to max_examples examples
// (in scan order) and the first reason. Its size depends on the columns and
// checks, never on the rows.
class ValueTally {
 public:
  explicit ValueTally(std::string table, size_t max_examples = 3)
      : table_(std::move(table)), max_examples_(max_examples) {}
  // A row the migration rejects for this column's value (check from
  // value_check_name, or zero_date for a zero date in a NOT NULL column).
  void reject(const std::string &column, const std::string &check, const std::string &reason,
              const std::string &example);
  // A MySQL zero date the migration copies as NULL (a nullable column).
  void zero_date_as_null(const std::string &column, const std::string &example);
  int64_t rows_rejected() const { return rejected_; }
  // In the order first seen.
  std::vector<PreflightFinding> findings() const;

 private:
  struct Entry {
    std::string column, check, reason;
    bool rejected = true;
    int64_t count = 0;
    std::vector<std::string> examples;
  };
  Entry &entry(const std::string &column, const std::string &check, bool rejected);
  std::string table_;
  size_t max_examples_;
  int64_t rejected_ = 0;
  std::vector<Entry> entries_;
};

}  // namespace minibar
