// Which WHERE clauses the wrappers evaluate remotely, and how.
//
// A clause is pushed only when the remote side gives PostgreSQL's answer:
// comparisons (= <> < <= > >=) between a column and a constant or parameter,
// IS [NOT] NULL, col = ANY(constant array) / IN (...), and AND / OR / NOT of
// pushable clauses. Everything else is filtered locally.
//
// SQLite: integer columns stored with numeric affinity; double precision
// columns over REAL affinity (a real column is a rounded double, and INTEGER
// or NUMERIC affinity keeps integers a double rounds); text equality on
// text-affinity columns (ordering only under the C collation, since SQLite
// compares bytes). Float comparisons also pass text-stored values ('-Infinity'
// text is a float here, above every number there) and are rechecked locally.
//
// MySQL: integer and DECIMAL columns against integer or numeric values (exact
// on both sides, for decimals MySQL holds exactly); text equality and IN on
// character columns, which MySQL's case- and accent-insensitive collations
// answer with a superset, so those clauses are also rechecked locally. No
// floats (FLOAT rounding), no dates (zero dates read as NULL here but are not
// NULL there), no ordering of text.
//
// NaN and ±Infinity are never sent: a constant that is one is not pushed; a
// float or numeric parameter gets a flag parameter that turns the remote
// condition off when its value is one (or a decimal MySQL cannot hold), and
// its clause is rechecked locally.
#pragma once

#include "core/plan/remote_query.hpp"
#include "core/sqlite/types.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

// What the planner knows about each column of the foreign table.
struct PushRelInfo {
  Index relid;  // range-table index of the foreign table
  int natts;
  const char **remote_names;  // [natts], by attnum - 1 (nullptr for dropped columns)
  // [natts], 0 when the column is missing remotely. SQLite: affinity 'I','T',
  // 'B','R','N'. MySQL: 'i' integer, 'n' decimal, 's' character, 'x' other.
  char *remote_class;
  Dialect dialect;
};

// A pushable clause, palloc'd (plan-time, PostgreSQL side).
struct PushCond {
  RemoteCond::Kind kind;
  const char *column;  // remote name
  const char *op;      // static text
  int nparams;
  List *args;       // PushCond* for And / Or / Not
  bool recheck;     // the remote answer is a superset: keep the clause locally too
  bool flag_param;  // Compare with a float/numeric Param: RemoteCond::flag_param
  bool pass_text;   // SQLite floats: RemoteCond::pass_text
};

// nullptr when not pushable; otherwise the condition, with its parameter
// expressions (Const or Param, in placeholder order) appended to *params.
// PostgreSQL code only (no C++ objects): call it outside C++ object scopes.
PushCond *remote_pushable(Expr *clause, const PushRelInfo *info, List **params);

// The pure-C++ form the deparser takes.
RemoteCond to_remote_cond(const PushCond *cond);

// Appends to flags, for each parameter value of cond in placeholder order,
// 1 when a flag parameter precedes it in the remote SQL (flag_param), else 0.
List *push_param_flags(const PushCond *cond, List *flags);

char affinity_code(SqliteAffinity a);

// MySQL remote class of a column from information_schema DATA_TYPE.
char mysql_class_code(const char *data_type);

}  // namespace minibar::pg
