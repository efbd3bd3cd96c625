#include "pg/sqlite_plan.hpp"

#include <sqlite3.h>

#include "core/remote_query.hpp"
#include "core/sqlite_types.hpp"
#include "pg/guard.hpp"
#include "pg/sqlite_fdw.hpp"

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
    for (int i = 0; i < info->rel.natts; i++) {
      const char *name = info->rel.remote_names[i];
      info->rel.remote_class[i] = 0;
      if (!name) continue;
      for (const auto &c : *cols)
        if (same_sqlite_name(c.name, name))
          info->rel.remote_class[i] = affinity_code(sqlite_affinity(c.declared_type));
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

    Relation rel = table_open(relid, NoLock);
    TupleDesc desc = RelationGetDescr(rel);
    info->rel.relid = baserel->relid;
    info->rel.dialect = Dialect::Sqlite;
    info->rel.natts = desc->natts;
    info->rel.remote_names = static_cast<const char **>(palloc0(sizeof(char *) * desc->natts));
    info->rel.remote_class = static_cast<char *>(palloc0(desc->natts));
    for (int i = 0; i < desc->natts; i++)
      if (!TupleDescAttr(desc, i)->attisdropped)
        info->rel.remote_names[i] = sqlite_remote_column(relid, static_cast<AttrNumber>(i + 1));
    table_close(rel, NoLock);

    sqlite_read_remote_catalog(info);

    ListCell *lc;
    foreach (lc, baserel->baserestrictinfo) {
      auto *ri = static_cast<RestrictInfo *>(lfirst(lc));
      List *params = NIL;
      PushCond *cond = remote_pushable(ri->clause, &info->rel, &params);
      if (cond) {
        info->remote_conds = lappend(info->remote_conds, ri);
        info->push_conds = lappend(info->push_conds, cond);
        info->push_params = lappend(info->push_params, params);
      } else {
        info->local_conds = lappend(info->local_conds, ri);
      }
    }
    pull_varattnos(reinterpret_cast<Node *>(baserel->reltarget->exprs), baserel->relid,
                   &info->attrs_used);
    foreach (lc, info->local_conds)
      pull_varattnos(reinterpret_cast<Node *>(static_cast<RestrictInfo *>(lfirst(lc))->clause),
                     baserel->relid, &info->attrs_used);

    // A used column that the remote table lacks is an error now, not a wrong answer later.
    bool whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, info->attrs_used);
    for (int i = 0; i < info->rel.natts; i++) {
      if (!info->rel.remote_names[i] || info->rel.remote_class[i]) continue;
      if (!whole_row &&
          !bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, info->attrs_used))
        continue;
      ereport(ERROR,
              (errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
               errmsg("column \"%s\" of foreign table \"%s\" does not exist in SQLite table \"%s\"",
                      info->rel.remote_names[i], get_rel_name(relid), info->remote_table),
               errdetail("minibar_sqlite server \"%s\"", info->config.server_name),
               errhint("The SQLite table was altered after the foreign table was defined; "
                       "re-import it or ALTER FOREIGN TABLE to match.")));
    }

    // Before ANALYZE the planner has no count: use SQLite's max(rowid).
    if (baserel->tuples < 0) baserel->tuples = info->remote_rows;
    set_baserel_size_estimates(root, baserel);
  });
}

void sqlite_get_paths(PlannerInfo *root, RelOptInfo *baserel, Oid relid) {
  pg_entry([&] {
    // SQLite reads every row of the table (less with an index on a pushed
    // condition); PostgreSQL then handles the rows that come back.
    Cost startup = 10;
    Cost total = startup + baserel->tuples * cpu_operator_cost + baserel->rows * cpu_tuple_cost;
    add_path(baserel, reinterpret_cast<Path *>(create_foreignscan_path(
                          root, baserel, nullptr, baserel->rows, startup, total, NIL,
                          baserel->lateral_relids, nullptr, NIL)));
  });
}

ForeignScan *sqlite_get_plan(PlannerInfo *root, RelOptInfo *baserel, Oid relid,
                             ForeignPath *best_path, List *tlist, List *scan_clauses,
                             Plan *outer_plan) {
  return pg_entry([&]() -> ForeignScan * {
    auto *info = static_cast<SqlitePlanInfo *>(baserel->fdw_private);
    List *local_exprs = NIL;
    List *used_conds = NIL;  // PushCond*
    List *fdw_exprs = NIL;
    ListCell *lc;
    foreach (lc, scan_clauses) {
      auto *ri = lfirst_node(RestrictInfo, lc);
      int idx = -1;
      for (int i = 0; i < list_length(info->remote_conds); i++)
        if (list_nth(info->remote_conds, i) == ri) idx = i;
      if (idx < 0) {
        local_exprs = lappend(local_exprs, ri->clause);
        continue;
      }
      used_conds = lappend(used_conds, list_nth(info->push_conds, idx));
      fdw_exprs = list_concat(fdw_exprs, static_cast<List *>(list_nth(info->push_params, idx)));
    }

    bool whole_row = bms_is_member(0 - FirstLowInvalidHeapAttributeNumber, info->attrs_used);
    List *attnums = NIL;
    for (int i = 0; i < info->rel.natts; i++) {
      if (!info->rel.remote_names[i]) continue;
      if (whole_row || bms_is_member(i + 1 - FirstLowInvalidHeapAttributeNumber, info->attrs_used))
        attnums = lappend_int(attnums, i + 1);
    }
    bool locator = attnums != NIL && info->locator[0] != '\0';

    char *sql = nullptr;
    {
      RemoteSelect q;
      q.table = info->remote_table;
      if (locator) q.row_locator = info->locator;
      foreach (lc, attnums) q.columns.emplace_back(info->rel.remote_names[lfirst_int(lc) - 1]);
      foreach (lc, used_conds)
        q.where.push_back(to_remote_cond(static_cast<PushCond *>(lfirst(lc))));
      std::string text = deparse_select(q, Dialect::Sqlite);
      pg_call([&] { sql = pstrdup(text.c_str()); });
    }
    List *priv = list_make4(makeString(sql), attnums, makeInteger(locator ? 1 : 0),
                            makeString(pstrdup(info->remote_table)));
    return make_foreignscan(tlist, local_exprs, baserel->relid, fdw_exprs, priv, NIL, NIL,
                            outer_plan);
  });
}

void sqlite_explain_scan(ForeignScanState *node, ExplainState *es) {
  pg_entry([&] {
    auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
    if (es->verbose)
      ExplainPropertyText("SQLite query", strVal(list_nth(plan->fdw_private, kPlanSql)), es);
  });
}

}  // namespace minibar::pg
