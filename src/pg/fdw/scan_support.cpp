#include "pg/fdw/scan_support.hpp"

namespace minibar::pg {

ParamValue *eval_scan_params(ForeignScanState *node, List *param_states, List *flags) {
  int n = list_length(param_states);
  auto *params = static_cast<ParamValue *>(palloc0(sizeof(ParamValue) * (n ? n : 1)));
  ExprContext *econtext = node->ss.ps.ps_ExprContext;
  MemoryContext old = MemoryContextSwitchTo(econtext->ecxt_per_tuple_memory);
  int k = 0;
  ListCell *lc;
  foreach (lc, param_states) {
    auto *es = static_cast<ExprState *>(lfirst(lc));
    ParamValue *p = &params[k];
    p->flagged = k < list_length(flags) && list_nth_int(flags, k) != 0;
    k++;
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
      case NUMERICOID: {
        char *s = DatumGetCString(DirectFunctionCall1(numeric_out, d));
        p->kind = 'n', p->text = s, p->len = static_cast<int>(strlen(s));
        break;
      }
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
  return params;
}

namespace {

SqlValue bind_value(const ParamValue &p) {
  if (p.isnull) return std::monostate();
  if (p.kind == 'i') return static_cast<int64_t>(p.i);
  if (p.kind == 'd') return p.d;
  if (p.kind == 'n') return Decimal{std::string(p.text, static_cast<size_t>(p.len))};
  return std::string(p.text, static_cast<size_t>(p.len));
}

}  // namespace

std::vector<SqlValue> bind_values(const ParamValue *params, int n, Dialect dialect) {
  std::vector<SqlValue> values;
  values.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; i++) {
    const ParamValue &p = params[i];
    SqlValue value = bind_value(p);
    if (p.flagged) {
      // NaN, ±Infinity or a decimal MySQL cannot hold: flag 1 makes the
      // condition pass every row (the clause is rechecked locally) and the
      // value itself is never sent.
      bool off = !param_value_pushable(value, dialect);
      values.emplace_back(static_cast<int64_t>(off ? 1 : 0));
      if (off) value = std::monostate();
    }
    values.push_back(std::move(value));
  }
  return values;
}

ScanState *scan_state_init(ForeignScanState *node, List *attnums, List *param_flags,
                           Dialect dialect) {
  auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
  EState *estate = node->ss.ps.state;
  TupleDesc desc = RelationGetDescr(node->ss.ss_currentRelation);
  auto *st = static_cast<ScanState *>(palloc0(sizeof(ScanState)));
  node->fdw_state = st;
  st->ntargets = list_length(attnums);
  st->targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (st->ntargets + 1)));
  int i = 0;
  ListCell *lc;
  foreach (lc, attnums)
    column_target_init(&st->targets[i++], TupleDescAttr(desc, lfirst_int(lc) - 1));
  st->param_states = ExecInitExprList(plan->fdw_exprs, reinterpret_cast<PlanState *>(node));
  st->param_flags = param_flags;
  st->dialect = dialect;
  st->row_cxt =
      AllocSetContextCreate(estate->es_query_cxt, "minibar scan row", ALLOCSET_DEFAULT_SIZES);
  st->holder = context_owned<RowReader>(estate->es_query_cxt);
  return st;
}

TupleTableSlot *scan_iterate(ForeignScanState *node) {
  TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
  pg_entry([&] {
    auto *st = static_cast<ScanState *>(node->fdw_state);
    ExecClearTuple(slot);
    if (!st->started) {
      ParamValue *params = eval_scan_params(node, st->param_states, st->param_flags);
      st->holder->object->start(bind_values(params, list_length(st->param_states), st->dialect));
      st->started = true;
    }
    MemoryContextReset(st->row_cxt);
    RowReader *reader = st->holder->object;
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

void scan_rescan(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<ScanState *>(node->fdw_state);
    if (st) st->started = false;
  });
}

void scan_end(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<ScanState *>(node->fdw_state);
    if (st && st->holder) ContextOwned<RowReader>::release(st->holder);
  });
}

}  // namespace minibar::pg
