// Which WHERE clauses the SQLite wrapper evaluates remotely, and how.
//
// A clause is pushed only when SQLite gives exactly PostgreSQL's answer:
// comparisons (= <> < <= > >=) between a column and a constant or parameter
// for integer and float columns stored with numeric affinity, text equality
// on text-affinity columns (ordering only under the C collation, since SQLite
// compares bytes), IS [NOT] NULL, col = ANY(constant array) / IN (...), and
// AND / OR / NOT of pushable clauses. Everything else is filtered locally.
#pragma once

#include "core/remote_query.hpp"
#include "core/sqlite_types.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

// What the planner knows about each column of the foreign table.
struct SqliteRelInfo {
  Index relid;  // range-table index of the foreign table
  int natts;
  const char **remote_names;  // [natts], by attnum - 1 (nullptr for dropped columns)
  char *affinity;             // [natts]: 'I','T','B','R','N' or 0 when missing remotely
};

// A pushable clause, palloc'd (plan-time, PostgreSQL side).
struct PushCond {
  RemoteCond::Kind kind;
  const char *column;  // remote name
  const char *op;      // static text
  int nparams;
  List *args;  // PushCond* for And / Or / Not
};

// nullptr when not pushable; otherwise the condition, with its parameter
// expressions (Const or Param, in placeholder order) appended to *params.
// PostgreSQL code only (no C++ objects): call it outside C++ object scopes.
PushCond *sqlite_pushable(Expr *clause, const SqliteRelInfo *info, List **params);

// The pure-C++ form the deparser takes.
RemoteCond to_remote_cond(const PushCond *cond);

char affinity_code(SqliteAffinity a);

}  // namespace minibar::pg
