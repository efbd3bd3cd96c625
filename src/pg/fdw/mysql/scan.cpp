// Executor callbacks of minibar_mysql: one binary-protocol row per tuple,
// converted into a per-row memory context that is reset every row.
#include "pg/fdw/push_plan.hpp"
#include "pg/fdw/scan_support.hpp"
#include "pg/fdw/mysql/handler.hpp"
#include "pg/remote/server/mysql_options.hpp"
#include "pg/remote/mysql_reader.hpp"

namespace minibar::pg {

void mysql_begin_scan(ForeignScanState *node, int eflags) {
  pg_entry([&] {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    PlanItems items = push_plan_items(node);
    auto *config = static_cast<MysqlServerConfig *>(palloc0(sizeof(MysqlServerConfig)));
    mysql_server_config(items.serverid, config);
    pg_tz *tz = mysql_source_tz(*config);

    auto *st = scan_state_init(node, items.attnums, items.param_flags, Dialect::Mysql);
    st->holder->object = new MysqlReader(*config, items.sql, st->targets, st->ntargets,
                                         items.relname, items.remote_table, tz);
  });
}

}  // namespace minibar::pg
