// Planning of minibar_mysql scans: the remote catalog gives column types (for
// pushdown) and a row estimate; safe WHERE clauses, the column list and, for
// a lone table under a plain LIMIT, the LIMIT go into the remote SELECT.
#include <string>
#include <vector>

#include "core/convert/number_parse.hpp"
#include "core/schema/quote.hpp"
#include "core/plan/remote_query.hpp"
#include "pg/base/guard.hpp"
#include "pg/remote/server/mysql_connection.hpp"
#include "pg/fdw/mysql/handler.hpp"
#include "pg/remote/server/mysql_options.hpp"
#include "pg/fdw/push_plan.hpp"

namespace minibar::pg {

namespace {

// Row estimate for a view or a table whose size MySQL does not report.
constexpr double kDefaultRows = 1000;

struct MysqlPlanInfo {
  MysqlServerConfig config;
  const char *remote_db;
  const char *remote_table;
  PushPlan push;  // remote columns, pushed and local clauses
  double remote_rows;
};

struct RemoteColumn {
  std::string name;
  std::string data_type;
  std::string charset;  // CHARACTER_SET_NAME, "" for non-character columns
};

// Reads the remote table's columns and row estimate; errors when it is gone.
void read_remote_catalog(MysqlPlanInfo *info) {
  std::vector<RemoteColumn> cols;
  double rows = -1;
  bool found = false;
  {
    MysqlLease lease = mysql_acquire(info->config);
    MysqlConnection &c = *lease.conn;
    std::string db = c.quote_literal(info->remote_db);
    std::string table = c.quote_literal(info->remote_table);
    std::vector<MysqlRow> result = c.query(
        "SELECT c.COLUMN_NAME, c.DATA_TYPE, t.TABLE_ROWS, c.CHARACTER_SET_NAME "
        "FROM information_schema.TABLES t "
        "LEFT JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA AND "
        "c.TABLE_NAME = t.TABLE_NAME WHERE t.TABLE_SCHEMA = " +
        db + " AND t.TABLE_NAME = " + table);
    for (const MysqlRow &r : result) {
      found = true;
      if (r.size() < 4) continue;
      if (r[0] && r[1]) cols.push_back({*r[0], *r[1], r[3].value_or("")});
      if (r[2]) rows = to_double(*r[2]);
    }
    if (!found)
      throw Error(sqlstate::kFdwTableNotFound,
                  c.options().label + ": MySQL table " + mysql_quote_ident(info->remote_db) + "." +
                      mysql_quote_ident(info->remote_table) + " does not exist",
                  "",
                  "It was dropped or renamed after the foreign table was defined (re-import "
                  "it or set its table_name option), or the MySQL user may not see it.");
  }
  pg_call([&] {
    for (int i = 0; i < info->push.rel.natts; i++) {
      const char *name = info->push.rel.remote_names[i];
      info->push.rel.remote_class[i] = 0;
      if (!name) continue;
      for (const RemoteColumn &col : cols) {
        if (pg_strcasecmp(col.name.c_str(), name) != 0) continue;  // MySQL names ignore case
        char cls = mysql_class_code(col.data_type.c_str());
        // Values are sent as utf8mb4: comparing them with a latin1 (utf8mb3,
        // ascii ...) column fails remotely for characters it cannot hold.
        if (cls == 's' && col.charset != "utf8mb4") cls = 'x';
        info->push.rel.remote_class[i] = cls;
      }
    }
  });
  // InnoDB's TABLE_ROWS is an estimate; 0 may mean "never analyzed", so keep 10 at least.
  info->remote_rows = rows < 0 ? kDefaultRows : (rows < 10 ? 10 : rows);
}

// A LIMIT the remote query may carry: the query is a plain SELECT over this
// one relation (or an append member of it), without ORDER BY, grouping,
// aggregates, DISTINCT, window functions, set-returning functions or row
// locks, and every WHERE clause runs remotely without recheck. PostgreSQL's
// root->limit_tuples already excludes the grouping cases.
std::optional<int64_t> pushable_limit(PlannerInfo *root, RelOptInfo *baserel, List *local_exprs) {
  Query *parse = root->parse;
  if (local_exprs != NIL || root->limit_tuples <= 0) return std::nullopt;
  if (parse->commandType != CMD_SELECT || parse->sortClause != NIL || parse->rowMarks != NIL ||
      parse->hasTargetSRFs || parse->setOperations)
    return std::nullopt;
  if (baserel->reloptkind == RELOPT_BASEREL && bms_membership(root->all_baserels) != BMS_SINGLETON)
    return std::nullopt;
  if (baserel->reloptkind != RELOPT_BASEREL && baserel->reloptkind != RELOPT_OTHER_MEMBER_REL)
    return std::nullopt;
  if (root->limit_tuples > 1e15) return std::nullopt;
  return static_cast<int64_t>(root->limit_tuples);
}

}  // namespace

void mysql_get_rel_size(PlannerInfo *root, RelOptInfo *baserel, Oid relid) {
  pg_entry([&] {
    auto *info = static_cast<MysqlPlanInfo *>(palloc0(sizeof(MysqlPlanInfo)));
    baserel->fdw_private = info;
    mysql_server_config(GetForeignTable(relid)->serverid, &info->config);
    info->remote_db = mysql_remote_db(relid, info->config);
    info->remote_table = mysql_remote_table(relid);

    push_plan_init(&info->push, baserel->relid, relid, Dialect::Mysql, mysql_remote_column);
    read_remote_catalog(info);
    push_plan_classify(&info->push, baserel);
    push_plan_check_columns(&info->push, relid, "minibar_mysql", info->config.server_name, "MySQL",
                            psprintf("\"%s\".\"%s\"", info->remote_db, info->remote_table));

    if (baserel->tuples < 0) baserel->tuples = info->remote_rows;
    set_baserel_size_estimates(root, baserel);
  });
}

void mysql_get_paths(PlannerInfo *root, RelOptInfo *baserel, Oid relid) {
  pg_entry([&] {
    // A network round trip to start, then MySQL reads every row (fewer with
    // an index on a pushed condition) and sends the matching ones.
    push_plan_add_path(root, baserel, 25,
                       cpu_tuple_cost + 0.01 * baserel->reltarget->width / 100.0);
  });
}

ForeignScan *mysql_get_plan(PlannerInfo *root, RelOptInfo *baserel, Oid relid,
                            ForeignPath *best_path, List *tlist, List *scan_clauses,
                            Plan *outer_plan) {
  return pg_entry([&]() -> ForeignScan * {
    auto *info = static_cast<MysqlPlanInfo *>(baserel->fdw_private);
    ScanClauses clauses = push_plan_scan_clauses(&info->push, scan_clauses);
    List *attnums = push_plan_attnums(&info->push);
    std::optional<int64_t> limit = pushable_limit(root, baserel, clauses.local_exprs);

    char *sql = nullptr;
    char *label = nullptr;
    {
      RemoteSelect q;
      q.schema = info->remote_db;
      q.table = info->remote_table;
      push_plan_select(&info->push, attnums, clauses, &q);
      q.limit = limit;
      std::string text = deparse_select(q, Dialect::Mysql);
      std::string name = mysql_quote_ident(q.schema) + "." + mysql_quote_ident(q.table);
      pg_call([&] {
        sql = pstrdup(text.c_str());
        label = pstrdup(name.c_str());
      });
    }
    return push_plan_foreign_scan(baserel, tlist, clauses, outer_plan, sql, attnums, label);
  });
}

void mysql_explain_scan(ForeignScanState *node, ExplainState *es) {
  static_assert(kPlanSql == 0, "push_plan_explain reads the first item");
  pg_entry([&] { push_plan_explain(node, es, "MySQL query"); });
}

}  // namespace minibar::pg
