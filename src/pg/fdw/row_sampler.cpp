#include "pg/fdw/row_sampler.hpp"

namespace minibar::pg {

void AnalyzeColumns::init(Relation rel, RemoteColumnFn remote_column) {
  Oid relid = RelationGetRelid(rel);
  desc = RelationGetDescr(rel);
  targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (desc->natts + 1)));
  names = static_cast<const char **>(palloc0(sizeof(char *) * (desc->natts + 1)));
  ntargets = 0;
  for (int i = 0; i < desc->natts; i++) {
    Form_pg_attribute att = TupleDescAttr(desc, i);
    if (att->attisdropped) continue;
    column_target_init(&targets[ntargets], att);
    names[ntargets++] = remote_column(relid, att->attnum);
  }
  values = static_cast<Datum *>(palloc0(sizeof(Datum) * (desc->natts + 1)));
  nulls = static_cast<bool *>(palloc0(sizeof(bool) * (desc->natts + 1)));
  row_cxt =
      AllocSetContextCreate(CurrentMemoryContext, "minibar analyze row", ALLOCSET_DEFAULT_SIZES);
}

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
