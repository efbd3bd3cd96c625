// Both wrappers' SQL entry points: the FdwRoutine their handler functions
// return, and their validators. The routine holds each wrapper's own
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

// The validator's body: the option list and catalog of fcinfo's call, checked
// by validate (guarded inside).
Datum fdw_validator(FunctionCallInfo fcinfo, void (*validate)(List *options, Oid context));

}  // namespace minibar::pg
