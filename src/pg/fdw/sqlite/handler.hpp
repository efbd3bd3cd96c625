// The minibar_sqlite foreign data wrapper's callbacks, one file per concern:
// planning (pg/fdw/sqlite/plan.cpp), execution (pg/fdw/sqlite/scan.cpp), ANALYZE
// (pg/fdw/sqlite/analyze.cpp), IMPORT FOREIGN SCHEMA (pg/fdw/sqlite/import.cpp); the handler
// in pg/fdw/sqlite/handler.cpp collects them.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

void sqlite_get_rel_size(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);
void sqlite_get_paths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);
ForeignScan *sqlite_get_plan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
                             ForeignPath *best_path, List *tlist, List *scan_clauses,
                             Plan *outer_plan);
void sqlite_explain_scan(ForeignScanState *node, ExplainState *es);

void sqlite_begin_scan(ForeignScanState *node, int eflags);

bool sqlite_analyze(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages);

List *sqlite_import_schema(ImportForeignSchemaStmt *stmt, Oid serverOid);

// Plan-time data kept in ForeignScan.fdw_private, by position.
enum SqlitePlanPrivate {
  kPlanSql = 0,          // String: remote SELECT
  kPlanAttnums = 1,      // IntList: local attnums of the fetched columns, in SELECT order
  kPlanLocator = 2,      // Integer: 1 when the first fetched column is the rowid
  kPlanRemoteTable = 3,  // String: remote table name
  kPlanParamFlags = 4    // IntList: per fdw_exprs entry, 1 when a flag '?' precedes it
};

}  // namespace minibar::pg
