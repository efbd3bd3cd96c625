#include "pg/row_sampler.hpp"

namespace minibar::pg {

void RowSampler::init(HeapTuple *out, int target) {
  rows = out;
  targrows = target;
  numrows = 0;
  seen = 0;
  rowstoskip = -1;
  keep_cxt = CurrentMemoryContext;
  reservoir_init_selection_state(&rstate, targrows);
}

int RowSampler::next_slot() {
  seen += 1;
  if (numrows < targrows) return numrows;
  if (rowstoskip < 0) rowstoskip = reservoir_get_next_S(&rstate, seen, targrows);
  int pos = -1;
  if (rowstoskip <= 0) pos = static_cast<int>(targrows * sampler_random_fract(&rstate.randstate));
  rowstoskip -= 1;
  return pos;
}

void RowSampler::store(int pos, TupleDesc desc, Datum *values, bool *nulls) {
  MemoryContext old = MemoryContextSwitchTo(keep_cxt);
  if (pos < numrows) {
    heap_freetuple(rows[pos]);
  } else {
    numrows++;
  }
  rows[pos] = heap_form_tuple(desc, values, nulls);
  MemoryContextSwitchTo(old);
}

}  // namespace minibar::pg
