// Pieces both wrappers' executor callbacks share: a C++ reader owned by a
// memory context (freed when the query's memory goes, also on error, when
// EndForeignScan never runs), and the evaluation of pushed-down parameter
// expressions into values a remote statement binds.
#pragma once

#include <vector>

#include "core/plan/remote_query.hpp"
#include "core/value.hpp"
#include "pg/remote/datum_build.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/memory.hpp"

namespace minibar::pg {

template <typename T>
struct ContextOwned {
  T *object;
  MemoryContextCallback callback;

  static void release(void *arg) {
    auto *self = static_cast<ContextOwned *>(arg);
    delete self->object;  // destructors never throw
    self->object = nullptr;
  }
};

// An empty holder whose object is deleted when cxt is reset or deleted.
// PostgreSQL calls only.
template <typename T>
ContextOwned<T> *context_owned(MemoryContext cxt) {
  auto *h = static_cast<ContextOwned<T> *>(MemoryContextAllocZero(cxt, sizeof(ContextOwned<T>)));
  h->callback.func = ContextOwned<T>::release;
  h->callback.arg = h;
  MemoryContextRegisterResetCallback(cxt, &h->callback);
  return h;
}

// A parameter value evaluated on the PostgreSQL side, before any C++ object
// exists: 'i' integer, 'd' float, 'n' numeric text, 't' text (UTF-8).
struct ParamValue {
  bool flagged;  // a flag '?' precedes it in the remote SQL (RemoteCond::flag_param)
  bool isnull;
  char kind;
  int64 i;
  double d;
  const char *text;
  int len;
};

// Evaluates each ExprState (one per parameter value) in the per-tuple memory
// of the node's expression context; flags: IntList parallel to param_states
// (ScanClauses::param_flags). PostgreSQL calls only: may ereport.
ParamValue *eval_scan_params(ForeignScanState *node, List *param_states, List *flags);

// The values to bind, one per remote '?' (pure C++). A flagged value is
// preceded by its flag: 0, or 1 with the value sent as NULL when the value
// may not be sent (param_value_pushable), which turns its condition off.
std::vector<SqlValue> bind_values(const ParamValue *params, int n, Dialect dialect);

// Executor state of a scan by a Reader (SqliteReader, MysqlReader): it has
// start(params), next() and fill(values, nulls).
template <typename Reader>
struct ScanState {
  ContextOwned<Reader> *holder;
  MemoryContext row_cxt;  // reset every row
  List *param_states;     // ExprState*, one per parameter value in the remote query
  List *param_flags;      // IntList parallel to param_states (ScanClauses::param_flags)
  Dialect dialect;
  bool started;
  ColumnTarget *targets;  // the fetched columns, in remote SELECT order
  int ntargets;
};

// Allocates node's state in the query's memory: targets for attnums, the
// parameter expressions and their flags, the row context and an empty reader
// holder (the caller creates the reader). PostgreSQL calls only.
template <typename Reader>
ScanState<Reader> *scan_state_init(ForeignScanState *node, List *attnums, List *param_flags,
                                   Dialect dialect) {
  auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
  EState *estate = node->ss.ps.state;
  TupleDesc desc = RelationGetDescr(node->ss.ss_currentRelation);
  auto *st = static_cast<ScanState<Reader> *>(palloc0(sizeof(ScanState<Reader>)));
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
  st->holder = context_owned<Reader>(estate->es_query_cxt);
  return st;
}

// IterateForeignScan: (re)starts the remote query with fresh parameters when
// needed, then converts one row into the slot.
template <typename Reader>
TupleTableSlot *scan_iterate(ForeignScanState *node) {
  TupleTableSlot *slot = node->ss.ss_ScanTupleSlot;
  pg_entry([&] {
    auto *st = static_cast<ScanState<Reader> *>(node->fdw_state);
    ExecClearTuple(slot);
    if (!st->started) {
      ParamValue *params = eval_scan_params(node, st->param_states, st->param_flags);
      st->holder->object->start(bind_values(params, list_length(st->param_states), st->dialect));
      st->started = true;
    }
    MemoryContextReset(st->row_cxt);
    Reader *reader = st->holder->object;
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

// ReScanForeignScan: run again, with fresh parameters, on the next fetch.
template <typename Reader>
void scan_rescan(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<ScanState<Reader> *>(node->fdw_state);
    if (st) st->started = false;
  });
}

// EndForeignScan: free the reader now (stopping the remote query).
template <typename Reader>
void scan_end(ForeignScanState *node) {
  pg_entry([&] {
    auto *st = static_cast<ScanState<Reader> *>(node->fdw_state);
    if (st && st->holder) ContextOwned<Reader>::release(st->holder);
  });
}

}  // namespace minibar::pg
