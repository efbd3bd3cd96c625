// preflight: what to look at before moving a database. From the source's
// definition (SourceSchema) it derives findings that need no query (tables
// without a primary key, objects that will not move, case-insensitive
// collations) and queries to run on the source, each returning one row
// (count, example) in the source's own SQL. Pure C++, unit-tested; the
// PostgreSQL layer runs the queries and reports the counts that are not 0.
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

}  // namespace minibar
