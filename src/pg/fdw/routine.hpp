// The FdwRoutine both wrappers' handler functions return: each wrapper's own
// planning, BeginForeignScan, ANALYZE and IMPORT FOREIGN SCHEMA callbacks,
// and the executor's row loop they share (pg/fdw/scan_support.hpp).
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

struct WrapperCallbacks {
  GetForeignRelSize_function rel_size;
  GetForeignPaths_function paths;
  GetForeignPlan_function plan;
  ExplainForeignScan_function explain;
  BeginForeignScan_function begin_scan;
  AnalyzeForeignTable_function analyze;
  ImportForeignSchema_function import_schema;
};

// The handler's result: a palloc'd FdwRoutine. Called by PostgreSQL's handler
// function (guarded inside).
Datum fdw_routine(const WrapperCallbacks &callbacks);

}  // namespace minibar::pg
