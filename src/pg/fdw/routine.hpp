// Both wrappers' SQL entry points (MINIBAR_FDW_ENTRY_POINTS below): the
// FdwRoutine their handler functions return, and their validators. The routine holds each wrapper's
// own planning, BeginForeignScan, ANALYZE and IMPORT FOREIGN SCHEMA callbacks, and the executor's
// row loop they share (pg/fdw/scan_support.hpp).
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

// Declares, in namespace minibar::pg, the callbacks wrapper NAME defines one file
// per concern under pg/fdw/NAME/: planning (NAME_get_rel_size, NAME_get_paths,
// NAME_get_plan, NAME_explain_scan in plan.cpp), execution (NAME_begin_scan in
// scan.cpp), ANALYZE (NAME_analyze in analyze.cpp) and IMPORT FOREIGN SCHEMA
// (NAME_import_schema in import.cpp).
#define MINIBAR_FDW_DECLARE_CALLBACKS(NAME)                                                     \
  namespace minibar::pg {                                                                       \
  void NAME##_get_rel_size(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);         \
  void NAME##_get_paths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);            \
  ForeignScan *NAME##_get_plan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,      \
                               ForeignPath *best_path, List *tlist, List *scan_clauses,         \
                               Plan *outer_plan);                                               \
  void NAME##_explain_scan(ForeignScanState *node, ExplainState *es);                           \
  void NAME##_begin_scan(ForeignScanState *node, int eflags);                                   \
  bool NAME##_analyze(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages); \
  List *NAME##_import_schema(ImportForeignSchemaStmt *stmt, Oid serverOid);                     \
  }

// Defines wrapper NAME's SQL entry points (fdw.sql): minibar_NAME_fdw_handler,
// whose FdwRoutine holds the callbacks MINIBAR_FDW_DECLARE_CALLBACKS(NAME)
// declares, and minibar_NAME_fdw_validator, called by CREATE/ALTER of the
// wrapper, servers, user mappings, foreign tables and their columns with the
// object's whole option list, which it checks with NAME_validate_options.
#define MINIBAR_FDW_ENTRY_POINTS(NAME)                                               \
  extern "C" {                                                                       \
  PG_FUNCTION_INFO_V1(minibar_##NAME##_fdw_handler);                                 \
  PG_FUNCTION_INFO_V1(minibar_##NAME##_fdw_validator);                               \
  }                                                                                  \
  extern "C" PGDLLEXPORT Datum minibar_##NAME##_fdw_handler(PG_FUNCTION_ARGS) {      \
    using namespace minibar::pg;                                                     \
    return fdw_routine({NAME##_get_rel_size, NAME##_get_paths, NAME##_get_plan,      \
                        NAME##_explain_scan, NAME##_begin_scan, NAME##_analyze,      \
                        NAME##_import_schema});                                      \
  }                                                                                  \
  extern "C" PGDLLEXPORT Datum minibar_##NAME##_fdw_validator(PG_FUNCTION_ARGS) {    \
    return minibar::pg::fdw_validator(fcinfo, minibar::pg::NAME##_validate_options); \
  }
