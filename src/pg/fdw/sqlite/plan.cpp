#include "pg/fdw/sqlite/plan.hpp"

#include <sqlite3.h>

#include "core/plan/remote_query.hpp"
#include "core/sqlite/types.hpp"
#include "pg/base/guard.hpp"
#include "pg/fdw/sqlite/handler.hpp"

namespace minibar::pg {

namespace {

// Row estimate for a table whose size SQLite cannot tell cheaply.
constexpr double kDefaultRows = 1000;

bool same_sqlite_name(const std::string &a, const char *b) {
  return sqlite3_stricmp(a.c_str(), b) == 0;  // SQLite names are ASCII case-insensitive
}

}  // namespace

void sqlite_read_remote_catalog(SqlitePlanInfo *info) {
  std::string locator;
  std::optional<int64_t> max_rowid;
  {
    std::unique_ptr<SqliteDatabase> db = sqlite_open(info->config);
    std::optional<std::vector<SqliteColumn>> cols = db->columns(info->remote_table);
    if (!cols)
      throw Error(
          sqlstate::kFdwTableNotFound,
          db->options().label + ": SQLite table \"" + info->remote_table + "\" does not exist", "",
          "It was dropped or renamed after the foreign table was defined; re-import "
          "the table or set its table_name option.");
    for (int i = 0; i < info->push.rel.natts; i++) {
      const char *name = info->push.rel.remote_names[i];
      info->push.rel.remote_class[i] = 0;
      if (!name) continue;
      for (const auto &c : *cols)
        if (same_sqlite_name(c.name, name))
          info->push.rel.remote_class[i] = affinity_code(sqlite_affinity(c.declared_type));
    }
    locator = db->row_locator(info->remote_table, *cols);
    max_rowid = db->max_rowid(info->remote_table, locator);
  }
  info->remote_rows = max_rowid ? static_cast<double>(*max_rowid) : kDefaultRows;
  pg_call([&] { info->locator = pstrdup(locator.c_str()); });
}

void sqlite_get_rel_size(PlannerInfo *root, RelOptInfo *baserel, Oid relid) {
  pg_entry([&] {
    auto *info = static_cast<SqlitePlanInfo *>(palloc0(sizeof(SqlitePlanInfo)));
    baserel->fdw_private = info;
    sqlite_server_config(GetForeignTable(relid)->serverid, &info->config);
    info->remote_table = sqlite_remote_table(relid);

    push_plan_init(&info->push, baserel->relid, relid, Dialect::Sqlite, sqlite_remote_column);
    sqlite_read_remote_catalog(info);
    push_plan_classify(&info->push, baserel);
    // A used column that the remote table lacks is an error now, not a wrong answer later.
    push_plan_check_columns(&info->push, relid, "minibar_sqlite", info->config.server_name,
                            "SQLite", psprintf("\"%s\"", info->remote_table));

    // Before ANALYZE the planner has no count: use SQLite's max(rowid).
    if (baserel->tuples < 0) baserel->tuples = info->remote_rows;
    set_baserel_size_estimates(root, baserel);
  });
}

void sqlite_get_paths(PlannerInfo *root, RelOptInfo *baserel, Oid relid) {
  pg_entry([&] {
    // SQLite reads every row of the table (less with an index on a pushed
    // condition); PostgreSQL then handles the rows that come back.
    push_plan_add_path(root, baserel, 10, cpu_tuple_cost);
  });
}

ForeignScan *sqlite_get_plan(PlannerInfo *root, RelOptInfo *baserel, Oid relid,
                             ForeignPath *best_path, List *tlist, List *scan_clauses,
                             Plan *outer_plan) {
  return pg_entry([&]() -> ForeignScan * {
    auto *info = static_cast<SqlitePlanInfo *>(baserel->fdw_private);
    ScanClauses clauses = push_plan_scan_clauses(&info->push, scan_clauses);
    List *attnums = push_plan_attnums(&info->push);
    bool locator = attnums != NIL && info->locator[0] != '\0';

    char *sql = nullptr;
    {
      RemoteSelect q;
      q.table = info->remote_table;
      if (locator) q.row_locator = info->locator;
      push_plan_select(&info->push, attnums, clauses, &q);
      std::string text = deparse_select(q, Dialect::Sqlite);
      pg_call([&] { sql = pstrdup(text.c_str()); });
    }
    return push_plan_foreign_scan(baserel, tlist, clauses, outer_plan, sql, attnums,
                                  pstrdup(info->remote_table),
                                  list_make1(makeInteger(locator ? 1 : 0)));
  });
}

void sqlite_explain_scan(ForeignScanState *node, ExplainState *es) {
  static_assert(kPlanSql == 0, "push_plan_explain reads the first item");
  pg_entry([&] { push_plan_explain(node, es, "SQLite query"); });
}

}  // namespace minibar::pg
