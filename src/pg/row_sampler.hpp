// Reservoir sampling of rows streamed from a remote table, the way
// PostgreSQL's own ANALYZE samples heap rows (Vitter's algorithm). Both
// wrappers' AcquireSampleRowsFunc use it. Trivially destructible; its calls
// are PostgreSQL code that does not throw C++ exceptions.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

struct RowSampler {
  HeapTuple *rows;
  int targrows;
  int numrows;
  double seen;
  double rowstoskip;
  ReservoirStateData rstate;
  MemoryContext keep_cxt;  // where sampled tuples live (ANALYZE's context)

  void init(HeapTuple *out, int target);
  // Counts one more remote row; the slot the row goes to, or -1 to skip it.
  int next_slot();
  // Stores the row for slot pos (from next_slot). Call inside pg_call.
  void store(int pos, TupleDesc desc, Datum *values, bool *nulls);
};

}  // namespace minibar::pg
