// Executor callbacks of minibar_mysql: one binary-protocol row per tuple,
// converted into a per-row memory context that is reset every row.
#include "pg/fdw/scan_support.hpp"
#include "pg/fdw/mysql/handler.hpp"
#include "pg/remote/server/mysql_options.hpp"
#include "pg/remote/mysql_reader.hpp"

namespace minibar::pg {

void mysql_begin_scan(ForeignScanState *node, int eflags) {
  pg_entry([&] {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
    Relation rel = node->ss.ss_currentRelation;
    auto *config = static_cast<MysqlServerConfig *>(palloc0(sizeof(MysqlServerConfig)));
    mysql_server_config(GetForeignTable(RelationGetRelid(rel))->serverid, config);
    const char *sql = strVal(list_nth(plan->fdw_private, kMyPlanSql));
    auto *attnums = static_cast<List *>(list_nth(plan->fdw_private, kMyPlanAttnums));
    const char *remote_table = strVal(list_nth(plan->fdw_private, kMyPlanRemoteTable));
    const char *relname = pstrdup(RelationGetRelationName(rel));
    pg_tz *tz = mysql_source_tz(*config);

    auto *flags = static_cast<List *>(list_nth(plan->fdw_private, kMyPlanParamFlags));
    auto *st = scan_state_init(node, attnums, flags, Dialect::Mysql);
    st->holder->object =
        new MysqlReader(*config, sql, st->targets, st->ntargets, relname, remote_table, tz);
  });
}

}  // namespace minibar::pg
