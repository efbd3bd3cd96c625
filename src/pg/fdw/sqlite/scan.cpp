// Executor callbacks of minibar_sqlite: stream rows with one sqlite3_step per
// tuple, converting into a per-row memory context that is reset every row.
#include "pg/fdw/push_plan.hpp"
#include "pg/fdw/scan_support.hpp"
#include "pg/fdw/sqlite/handler.hpp"
#include "pg/remote/server/sqlite_options.hpp"
#include "pg/remote/sqlite_reader.hpp"

namespace minibar::pg {

void sqlite_begin_scan(ForeignScanState *node, int eflags) {
  pg_entry([&] {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    PlanItems items = push_plan_items(node);
    SqliteServerConfig config;
    sqlite_server_config(items.serverid, &config);
    bool locator = intVal(list_nth(items.fdw_private, kPlanLocator)) != 0;

    auto *st = scan_state_init(node, items.attnums, items.param_flags, Dialect::Sqlite);
    st->holder->object = new SqliteReader(sqlite_open(config), items.sql, st->targets, st->ntargets,
                                          locator, items.relname, items.remote_table);
  });
}

}  // namespace minibar::pg
