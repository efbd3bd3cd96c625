// Pieces both wrappers' executor callbacks share: a C++ reader owned by a
// memory context (freed when the query's memory goes, also on error, when
// EndForeignScan never runs), and the evaluation of pushed-down parameter
// expressions into values a remote statement binds.
#pragma once

#include <vector>

#include "core/value.hpp"
#include "pg/pg.hpp"

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
  bool isnull;
  char kind;
  int64 i;
  double d;
  const char *text;
  int len;
};

// Evaluates each ExprState (one per remote '?') in the per-tuple memory of
// the node's expression context. PostgreSQL calls only: may ereport.
ParamValue *eval_scan_params(ForeignScanState *node, List *param_states);

// The values to bind (pure C++).
std::vector<SqlValue> bind_values(const ParamValue *params, int n);

}  // namespace minibar::pg
