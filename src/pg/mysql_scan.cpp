// Executor callbacks of minibar_mysql: one binary-protocol row per tuple,
// converted into a per-row memory context that is reset every row.
#include <vector>

#include "pg/guard.hpp"
#include "pg/memory.hpp"
#include "pg/mysql_fdw.hpp"
#include "pg/mysql_options.hpp"
#include "pg/mysql_reader.hpp"

namespace minibar::pg {

namespace {

// Owns the C++ reader; the memory-context callback frees it (stopping the
// remote query) when the query's memory goes away, also on error.
struct ReaderHolder {
  MysqlReader *reader;
  MemoryContextCallback callback;
};

void release_reader(void *arg) {
  auto *holder = static_cast<ReaderHolder *>(arg);
  delete holder->reader;  // destructors never throw
  holder->reader = nullptr;
}

struct MysqlScanState {
  ReaderHolder *holder;
  MemoryContext row_cxt;
  List *param_states;  // ExprState*, one per '?' in the remote query
  bool started;
};

// A parameter value evaluated on the PostgreSQL side, before any C++ object exists.
struct ParamValue {
  bool isnull;
  char kind;  // 'i' integer, 'n' numeric text, 't' text
  int64 i;
  const char *text;
  int len;
};

void start_query(ForeignScanState *node, MysqlScanState *st) {
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
      case NUMERICOID: {
        char *s = DatumGetCString(DirectFunctionCall1(numeric_out, d));
        p->kind = 'n', p->text = s, p->len = static_cast<int>(strlen(s));
        break;
      }
      default: {  // text, varchar: sent as UTF-8 (the session's character set)
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
    else if (p.kind == 'n')
      values.emplace_back(Decimal{std::string(p.text, static_cast<size_t>(p.len))});
    else
      values.emplace_back(std::string(p.text, static_cast<size_t>(p.len)));
  }
  st->holder->reader->start(values);
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

    mysql_connection_cache_init();
    auto *config = static_cast<MysqlServerConfig *>(palloc0(sizeof(MysqlServerConfig)));
    mysql_server_config(GetForeignTable(RelationGetRelid(rel))->serverid, config);
    const char *sql = strVal(list_nth(plan->fdw_private, kMyPlanSql));
    auto *attnums = static_cast<List *>(list_nth(plan->fdw_private, kMyPlanAttnums));
    const char *remote_table = strVal(list_nth(plan->fdw_private, kMyPlanRemoteTable));
    const char *relname = pstrdup(RelationGetRelationName(rel));
    pg_tz *tz = pg_strcasecmp(config->source_timezone, "UTC") == 0
                    ? nullptr
                    : pg_tzset(config->source_timezone);

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
    st->holder = static_cast<ReaderHolder *>(
        MemoryContextAllocZero(estate->es_query_cxt, sizeof(ReaderHolder)));
    st->holder->callback.func = release_reader;
    st->holder->callback.arg = st->holder;
    MemoryContextRegisterResetCallback(estate->es_query_cxt, &st->holder->callback);

    st->holder->reader =
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
    MysqlReader *reader = st->holder->reader;
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
    if (st && st->holder) release_reader(st->holder);
  });
}

}  // namespace minibar::pg
