// Plan-time state of a minibar_sqlite foreign table (RelOptInfo.fdw_private).
#pragma once

#include "pg/remote/server/sqlite_options.hpp"
#include "pg/fdw/push_plan.hpp"

namespace minibar::pg {

struct SqlitePlanInfo {
  SqliteServerConfig config;
  const char *remote_table;
  PushPlan push;        // remote columns, pushed and local clauses
  const char *locator;  // rowid expression, "" when the table has none
  double remote_rows;   // estimate before ANALYZE
};

// Looks up the remote table's columns (affinity), rowid locator and a row
// estimate; errors when the table is gone. Fills info->push.rel.remote_class,
// info->locator and info->remote_rows.
void sqlite_read_remote_catalog(SqlitePlanInfo *info);

}  // namespace minibar::pg
