// Plan-time state of a minibar_sqlite foreign table (RelOptInfo.fdw_private).
#pragma once

#include "pg/sqlite_options.hpp"
#include "pg/pushdown.hpp"

namespace minibar::pg {

struct SqlitePlanInfo {
  SqliteServerConfig config;
  const char *remote_table;
  PushRelInfo rel;
  const char *locator;    // rowid expression, "" when the table has none
  double remote_rows;     // estimate before ANALYZE
  List *remote_conds;     // RestrictInfo* evaluated by SQLite
  List *push_conds;       // PushCond*, parallel to remote_conds
  List *push_params;      // List* of parameter Exprs, parallel to remote_conds
  List *local_conds;      // RestrictInfo* evaluated locally
  Bitmapset *attrs_used;  // offset by FirstLowInvalidHeapAttributeNumber
};

// Looks up the remote table's columns (affinity), rowid locator and a row
// estimate; errors when the table is gone. Fills info->rel.remote_class,
// info->locator and info->remote_rows.
void sqlite_read_remote_catalog(SqlitePlanInfo *info);

}  // namespace minibar::pg
