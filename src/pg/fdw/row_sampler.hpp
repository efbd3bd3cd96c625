// Reservoir sampling of rows streamed from a remote table, the way
// PostgreSQL's own ANALYZE samples heap rows (Vitter's algorithm). Both
// wrappers' AcquireSampleRowsFunc use it. Trivially destructible; its calls
// are PostgreSQL code that does not throw C++ exceptions.
#pragma once

#include "pg/remote/row_reader.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/memory.hpp"
#include "pg/fdw/push_plan.hpp"

namespace minibar::pg {

// Every live column of the analyzed table: its conversion target and remote
// name, plus the row buffers and the per-row context a sample row is built in.
struct AnalyzeColumns {
  TupleDesc desc;
  ColumnTarget *targets;
  const char **names;
  int ntargets;
  Datum *values;
  bool *nulls;
  MemoryContext row_cxt;

  // PostgreSQL calls (use outside C++ object scopes).
  void init(Relation rel, RemoteColumnFn remote_column);
};

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

  // Reads every row of a started reader (SqliteReader, MysqlReader), keeping
  // a reservoir sample. C++: throws on remote errors and interrupts.
  void sample_all(RowReader &reader, AnalyzeColumns &cols) {
    while (reader.next()) {
      check_for_interrupts();
      int pos = next_slot();
      if (pos < 0) continue;
      MemoryContextReset(cols.row_cxt);
      memset(cols.nulls, true, sizeof(bool) * cols.desc->natts);
      {
        MemoryContextScope in_row(cols.row_cxt);
        reader.fill(cols.values, cols.nulls);
      }
      pg_call([&] { store(pos, cols.desc, cols.values, cols.nulls); });
    }
  }
};

}  // namespace minibar::pg
