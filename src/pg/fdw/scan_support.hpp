// Pieces both wrappers' executor callbacks share: a C++ reader owned by a
// memory context (freed when the query's memory goes, also on error, when
// EndForeignScan never runs), and the evaluation of pushed-down parameter
// expressions into values a remote statement binds.
#pragma once

#include <vector>

#include "core/plan/remote_query.hpp"
#include "core/value.hpp"
#include "pg/remote/row_reader.hpp"
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

// Executor state of a scan by a RowReader (SqliteReader, MysqlReader).
struct ScanState {
  ContextOwned<RowReader> *holder;
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
ScanState *scan_state_init(ForeignScanState *node, List *attnums, List *param_flags,
                           Dialect dialect);

// Both wrappers' IterateForeignScan: (re)starts the remote query with fresh
// parameters when needed, then converts one row into the slot.
TupleTableSlot *scan_iterate(ForeignScanState *node);
// ReScanForeignScan: run again, with fresh parameters, on the next fetch.
void scan_rescan(ForeignScanState *node);
// EndForeignScan: free the reader now (stopping the remote query).
void scan_end(ForeignScanState *node);

}  // namespace minibar::pg
