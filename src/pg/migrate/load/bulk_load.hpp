// Loads a stream of remote rows into a table the way COPY FROM does: batches
// of tuples built straight from the remote values, written with
// table_multi_insert and a BulkInsertState, indexes (if the table has any)
// maintained per batch, in a memory context reset per batch. Rows whose
// values do not convert, or that break NOT NULL or a CHECK constraint, are
// rejected (RejectLog) and the load goes on. Conversion runs in one
// subtransaction per batch, so a PostgreSQL input function's error rejects
// only its row.
//
// A target that is not a plain table (partitioned, with row triggers or
// stored generated columns), or one whose row-level security applies to the
// user, goes through the general path: a prepared INSERT per row, so
// PostgreSQL routes, fires, computes and checks the policies; a batch that
// fails is retried row by row, each in a subtransaction, and the failing
// rows (data errors, rows a policy refuses) are rejected.
#pragma once

#include <cstdint>
#include <vector>

#include "pg/remote/datum_build.hpp"
#include "pg/remote/source.hpp"
#include "pg/migrate/load/rejects.hpp"

namespace minibar::pg {

struct LoadCounts {
  int64_t source = 0;  // what the source counted (load_chunk)
  int64_t read = 0;
  int64_t copied = 0;
  int64_t rejected = 0;
  int64_t zero_dates = 0;
  bool general_path = false;
};

struct LoadRequest {
  Relation rel = nullptr;                 // opened with RowExclusiveLock or stronger
  const ColumnTarget *targets = nullptr;  // fed columns, in the stream's order
  int ntargets = 0;
  RowStream *rows = nullptr;
  int batch_size = 1000;
  int64_t max_rejects = -1;      // < 0: unlimited
  std::vector<int> key_columns;  // indexes into targets naming the row in rejects; empty: all
  RejectLog *rejects = nullptr;
};

// Throws Error (54000 max_rejects exceeded) or PgError.
LoadCounts bulk_load(const LoadRequest &req);

}  // namespace minibar::pg
