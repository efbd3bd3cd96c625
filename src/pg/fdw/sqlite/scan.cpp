// Executor callbacks of minibar_sqlite: stream rows with one sqlite3_step per
// tuple, converting into a per-row memory context that is reset every row.
#include "pg/fdw/scan_support.hpp"
#include "pg/fdw/sqlite/handler.hpp"
#include "pg/remote/server/sqlite_options.hpp"
#include "pg/remote/sqlite_reader.hpp"

namespace minibar::pg {

void sqlite_begin_scan(ForeignScanState *node, int eflags) {
  pg_entry([&] {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
    Relation rel = node->ss.ss_currentRelation;
    SqliteServerConfig config;
    sqlite_server_config(GetForeignTable(RelationGetRelid(rel))->serverid, &config);
    const char *sql = strVal(list_nth(plan->fdw_private, kPlanSql));
    auto *attnums = static_cast<List *>(list_nth(plan->fdw_private, kPlanAttnums));
    bool locator = intVal(list_nth(plan->fdw_private, kPlanLocator)) != 0;
    const char *remote_table = strVal(list_nth(plan->fdw_private, kPlanRemoteTable));
    const char *relname = pstrdup(RelationGetRelationName(rel));

    auto *flags = static_cast<List *>(list_nth(plan->fdw_private, kPlanParamFlags));
    auto *st = scan_state_init(node, attnums, flags, Dialect::Sqlite);
    st->holder->object = new SqliteReader(sqlite_open(config), sql, st->targets, st->ntargets,
                                          locator, relname, remote_table);
  });
}

}  // namespace minibar::pg
