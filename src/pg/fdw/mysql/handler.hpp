// The minibar_mysql foreign data wrapper's callbacks, one file per concern:
// planning (pg/fdw/mysql/plan.cpp), execution (pg/fdw/mysql/scan.cpp), ANALYZE
// (pg/fdw/mysql/analyze.cpp), IMPORT FOREIGN SCHEMA (pg/fdw/mysql/import.cpp); the handler
// in pg/fdw/mysql/handler.cpp collects them.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

void mysql_get_rel_size(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);
void mysql_get_paths(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid);
ForeignScan *mysql_get_plan(PlannerInfo *root, RelOptInfo *baserel, Oid foreigntableid,
                            ForeignPath *best_path, List *tlist, List *scan_clauses,
                            Plan *outer_plan);
void mysql_explain_scan(ForeignScanState *node, ExplainState *es);

void mysql_begin_scan(ForeignScanState *node, int eflags);

bool mysql_analyze(Relation relation, AcquireSampleRowsFunc *func, BlockNumber *totalpages);

List *mysql_import_schema(ImportForeignSchemaStmt *stmt, Oid serverOid);

// Plan-time data kept in ForeignScan.fdw_private, by position.
enum MysqlPlanPrivate {
  kMyPlanSql = 0,          // String: remote SELECT
  kMyPlanAttnums = 1,      // IntList: local attnums of the fetched columns, in SELECT order
  kMyPlanRemoteTable = 2,  // String: `db`.`table`, for messages
  kMyPlanParamFlags = 3    // IntList: per fdw_exprs entry, 1 when a flag '?' precedes it
};

}  // namespace minibar::pg
