// Executor callbacks of minibar_mysql: one binary-protocol row per tuple,
// converted into a per-row memory context that is reset every row.
#include <vector>

#include "pg/guard.hpp"
#include "pg/memory.hpp"
#include "pg/scan_support.hpp"
#include "pg/mysql_fdw.hpp"
#include "pg/mysql_options.hpp"
#include "pg/mysql_reader.hpp"

namespace minibar::pg {

namespace {

struct MysqlScanState {
  ContextOwned<MysqlReader> *holder;
  MemoryContext row_cxt;
  List *param_states;  // ExprState*, one per '?' in the remote query
  bool started;
};

void start_query(ForeignScanState *node, MysqlScanState *st) {
  int n = list_length(st->param_states);
  ParamValue *params = eval_scan_params(node, st->param_states);
  st->holder->object->start(bind_values(params, n));
  st->started = true;
}

}  // namespace

void mysql_begin_scan(ForeignScanState *node, int eflags) {
  pg_entry([&] {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
    Relation rel = node->ss.ss_currentRelation;
    EState *estate = node->ss.ps.state;
    auto *st = static_cast<MysqlScanState *>(palloc0(sizeof(MysqlScanState)));
    node->fdw_state = st;

    auto *config = static_cast<MysqlServerConfig *>(palloc0(sizeof(MysqlServerConfig)));
    mysql_server_config(GetForeignTable(RelationGetRelid(rel))->serverid, config);
    const char *sql = strVal(list_nth(plan->fdw_private, kMyPlanSql));
    auto *attnums = static_cast<List *>(list_nth(plan->fdw_private, kMyPlanAttnums));
    const char *remote_table = strVal(list_nth(plan->fdw_private, kMyPlanRemoteTable));
    const char *relname = pstrdup(RelationGetRelationName(rel));
    pg_tz *tz = mysql_source_tz(*config);

    TupleDesc desc = RelationGetDescr(rel);
    int ntargets = list_length(attnums);
    auto *targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (ntargets + 1)));
    int i = 0;
    ListCell *lc;
    foreach (lc, attnums)
      column_target_init(&targets[i++], TupleDescAttr(desc, lfirst_int(lc) - 1));
    st->param_states = ExecInitExprList(plan->fdw_exprs, reinterpret_cast<PlanState *>(node));
    st->row_cxt =
        AllocSetContextCreate(estate->es_query_cxt, "minibar_mysql row", ALLOCSET_DEFAULT_SIZES);
    st->holder = context_owned<MysqlReader>(estate->es_query_cxt);

    st->holder->object =
        new MysqlReader(*config, sql, targets, ntargets, relname, remote_table, tz);
  });
}

TupleTableSlot *mysql_iterate_scan(ForeignScanState *node) {
  TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
  pg_entry([&] {
    auto *st = static_cast<MysqlScanState *>(node->fdw_state);
    ExecClearTuple(slot);
    if (!st->started) start_query(node, st);
    MemoryContextReset(st->row_cxt);
    MysqlReader *reader = st->holder->object;
    if (!reader->next()) return;
    int natts = slot->tts_tupleDescriptor->natts;
    memset(slot->tts_values, 0, sizeof(Datum) * natts);
    memset(slot->tts_isnull, true, sizeof(bool) * natts);
    {
      MemoryContextScope in_row(st->row_cxt);
      reader->fill(slot->tts_values, slot->tts_isnull);
    }
    ExecStoreVirtualTuple(slot);
  });
  return slot;
}

void mysql_rescan(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<MysqlScanState *>(node->fdw_state);
    if (st) st->started = false;  // executed again, with fresh parameters, on the next fetch
  });
}

void mysql_end_scan(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<MysqlScanState *>(node->fdw_state);
    if (st && st->holder) ContextOwned<MysqlReader>::release(st->holder);
  });
}

}  // namespace minibar::pg
