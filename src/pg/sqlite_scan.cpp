// Executor callbacks of minibar_sqlite: stream rows with one sqlite3_step per
// tuple, converting into a per-row memory context that is reset every row.
#include <vector>

#include "pg/guard.hpp"
#include "pg/memory.hpp"
#include "pg/scan_support.hpp"
#include "pg/sqlite_fdw.hpp"
#include "pg/sqlite_options.hpp"
#include "pg/sqlite_reader.hpp"

namespace minibar::pg {

namespace {

struct SqliteScanState {
  ContextOwned<SqliteReader> *holder;
  MemoryContext row_cxt;
  List *param_states;  // ExprState*, one per '?' in the remote query
  bool started;
  ColumnTarget *targets;
  int ntargets;
};

void start_query(ForeignScanState *node, SqliteScanState *st) {
  int n = list_length(st->param_states);
  ParamValue *params = eval_scan_params(node, st->param_states);
  st->holder->object->start(bind_values(params, n));
  st->started = true;
}

}  // namespace

void sqlite_begin_scan(ForeignScanState *node, int eflags) {
  pg_entry([&] {
    if (eflags & EXEC_FLAG_EXPLAIN_ONLY) return;
    auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
    Relation rel = node->ss.ss_currentRelation;
    EState *estate = node->ss.ps.state;
    auto *st = static_cast<SqliteScanState *>(palloc0(sizeof(SqliteScanState)));
    node->fdw_state = st;

    SqliteServerConfig config;
    sqlite_server_config(GetForeignTable(RelationGetRelid(rel))->serverid, &config);
    const char *sql = strVal(list_nth(plan->fdw_private, kPlanSql));
    auto *attnums = static_cast<List *>(list_nth(plan->fdw_private, kPlanAttnums));
    bool locator = intVal(list_nth(plan->fdw_private, kPlanLocator)) != 0;
    const char *remote_table = strVal(list_nth(plan->fdw_private, kPlanRemoteTable));
    const char *relname = pstrdup(RelationGetRelationName(rel));

    TupleDesc desc = RelationGetDescr(rel);
    st->ntargets = list_length(attnums);
    st->targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (st->ntargets + 1)));
    int i = 0;
    ListCell *lc;
    foreach (lc, attnums)
      column_target_init(&st->targets[i++], TupleDescAttr(desc, lfirst_int(lc) - 1));
    st->param_states = ExecInitExprList(plan->fdw_exprs, reinterpret_cast<PlanState *>(node));
    st->row_cxt =
        AllocSetContextCreate(estate->es_query_cxt, "minibar_sqlite row", ALLOCSET_DEFAULT_SIZES);
    st->holder = context_owned<SqliteReader>(estate->es_query_cxt);

    st->holder->object = new SqliteReader(sqlite_open(config), sql, st->targets, st->ntargets,
                                          locator, relname, remote_table);
  });
}

TupleTableSlot *sqlite_iterate_scan(ForeignScanState *node) {
  TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
  pg_entry([&] {
    auto *st = static_cast<SqliteScanState *>(node->fdw_state);
    ExecClearTuple(slot);
    if (!st->started) start_query(node, st);
    MemoryContextReset(st->row_cxt);
    SqliteReader *reader = st->holder->object;
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

void sqlite_rescan(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<SqliteScanState *>(node->fdw_state);
    if (st) st->started = false;  // parameters are evaluated again on the next fetch
  });
}

void sqlite_end_scan(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<SqliteScanState *>(node->fdw_state);
    if (st && st->holder) ContextOwned<SqliteReader>::release(st->holder);
  });
}

}  // namespace minibar::pg
