// Executor callbacks of minibar_sqlite: stream rows with one sqlite3_step per
// tuple, converting into a per-row memory context that is reset every row.
#include <vector>

#include "pg/guard.hpp"
#include "pg/memory.hpp"
#include "pg/sqlite_fdw.hpp"
#include "pg/sqlite_options.hpp"
#include "pg/sqlite_reader.hpp"

namespace minibar::pg {

namespace {

// Owns the C++ reader; the memory-context callback frees it when the query's
// memory goes away, also when the query fails and EndForeignScan never runs.
struct ReaderHolder {
  SqliteReader *reader;
  MemoryContextCallback callback;
};

void release_reader(void *arg) {
  auto *holder = static_cast<ReaderHolder *>(arg);
  delete holder->reader;
  holder->reader = nullptr;
}

struct SqliteScanState {
  ReaderHolder *holder;
  MemoryContext row_cxt;
  List *param_states;  // ExprState*, one per '?' in the remote query
  bool started;
  ColumnTarget *targets;
  int ntargets;
};

// A parameter value evaluated on the PostgreSQL side, before any C++ object exists.
struct ParamValue {
  bool isnull;
  char kind;  // 'i', 'd', 't'
  int64 i;
  double d;
  const char *text;
  int len;
};

void start_query(ForeignScanState *node, SqliteScanState *st) {
  int n = list_length(st->param_states);
  auto *params = static_cast<ParamValue *>(palloc0(sizeof(ParamValue) * (n ? n : 1)));
  ExprContext *econtext = node->ss.ps.ps_ExprContext;
  MemoryContext old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
  int k = 0;
  ListCell *lc;
  foreach (lc, st->param_states) {
    auto *es = static_cast<ExprState *>(lfirst(lc));
    ParamValue *p = &params[k++];
    Datum d = ExecEvalExpr(es, econtext, &p->isnull);
    if (p->isnull) continue;
    switch (exprType(reinterpret_cast<Node *>(es->expr))) {
      case INT2OID:
        p->kind = 'i', p->i = DatumGetInt16(d);
        break;
      case INT4OID:
        p->kind = 'i', p->i = DatumGetInt32(d);
        break;
      case INT8OID:
        p->kind = 'i', p->i = DatumGetInt64(d);
        break;
      case FLOAT4OID:
        p->kind = 'd', p->d = DatumGetFloat4(d);
        break;
      case FLOAT8OID:
        p->kind = 'd', p->d = DatumGetFloat8(d);
        break;
      default: {  // text, varchar: sent as UTF-8
        text *t = DatumGetTextPP(d);
        const char *s = VARDATA_ANY(t);
        int len = static_cast<int>(VARSIZE_ANY_EXHDR(t));
        if (GetDatabaseEncoding() != PG_UTF8) {
          const char *u = pg_server_to_any(s, len, PG_UTF8);
          if (u != s) len = static_cast<int>(strlen(u));
          s = u;
        }
        p->kind = 't', p->text = s, p->len = len;
      }
    }
  }
  MemoryContextSwitchTo(old);

  std::vector<SqlValue> values;
  values.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    const ParamValue &p = params[i];
    if (p.isnull)
      values.emplace_back(std::monostate());
    else if (p.kind == 'i')
      values.emplace_back(static_cast<int64_t>(p.i));
    else if (p.kind == 'd')
      values.emplace_back(p.d);
    else
      values.emplace_back(std::string(p.text, static_cast<size_t>(p.len)));
  }
  st->holder->reader->start(values);
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
    st->holder = static_cast<ReaderHolder *>(
        MemoryContextAllocZero(estate->es_query_cxt, sizeof(ReaderHolder)));
    st->holder->callback.func = release_reader;
    st->holder->callback.arg = st->holder;
    MemoryContextRegisterResetCallback(estate->es_query_cxt, &st->holder->callback);

    st->holder->reader = new SqliteReader(sqlite_open(config), sql, st->targets, st->ntargets,
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
    SqliteReader *reader = st->holder->reader;
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
    if (st && st->holder) release_reader(st->holder);
  });
}

}  // namespace minibar::pg
