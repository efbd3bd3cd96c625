// The planning steps both wrappers share once they know their remote
// columns: which restriction clauses go remote (pg/fdw/pushdown.hpp decides each
// one), which columns the scan must fetch, and which clauses the ForeignScan
// still checks locally. All PostgreSQL calls (palloc'd, may ereport).
#pragma once

#include "pg/fdw/pushdown.hpp"

namespace minibar::pg {

struct PushPlan {
  PushRelInfo rel;
  List *remote_conds;     // RestrictInfo* sent to the remote side
  List *push_conds;       // PushCond*, parallel to remote_conds
  List *push_params;      // List* of parameter Exprs, parallel to remote_conds
  List *local_conds;      // RestrictInfo* evaluated locally (also rechecked ones)
  Bitmapset *attrs_used;  // offset by FirstLowInvalidHeapAttributeNumber
};

using RemoteColumnFn = const char *(*)(Oid relid, AttrNumber attnum);

// Sets plan->rel up for foreign table relid at range-table index rti: the
// remote name of every live column; remote_class all 0 for the caller to fill
// from the remote catalog.
void push_plan_init(PushPlan *plan, Index rti, Oid relid, Dialect dialect,
                    RemoteColumnFn remote_column);

// Sorts baserel's restriction clauses into remote and local ones and records
// the columns the scan needs. Call once remote_class is filled.
void push_plan_classify(PushPlan *plan, RelOptInfo *baserel);

// Errors when a column the query uses does not exist remotely (remote_class 0).
// remote_kind: "SQLite" / "MySQL"; remote_table: as the message shows it.
void push_plan_check_columns(const PushPlan *plan, Oid relid, const char *wrapper,
                             const char *server_name, const char *remote_kind,
                             const char *remote_table);

// The local attnums the remote SELECT fetches, in order.
List *push_plan_attnums(const PushPlan *plan);

struct ScanClauses {
  List *local_exprs;  // Expr* the ForeignScan checks (non-pushed and rechecked)
  List *used_conds;   // PushCond* for the remote WHERE
  List *fdw_exprs;    // parameter Exprs, in placeholder order
  List *param_flags;  // IntList parallel to fdw_exprs: 1 when a flag '?' precedes the value
};

// Splits GetForeignPlan's scan_clauses by what push_plan_classify decided.
ScanClauses push_plan_scan_clauses(const PushPlan *plan, List *scan_clauses);

// The remote SELECT's columns (the remote names of attnums, in order) and
// WHERE conditions (clauses.used_conds), added to q.
void push_plan_select(const PushPlan *plan, List *attnums, const ScanClauses &clauses,
                      RemoteSelect *q);

// GetForeignPaths: the one path, the remote query. Its total cost is startup,
// plus cpu_operator_cost for each row the remote side reads (baserel->tuples),
// plus row_cost for each row it sends (baserel->rows).
void push_plan_add_path(PlannerInfo *root, RelOptInfo *baserel, Cost startup, Cost row_cost);

// Plan-time data kept in ForeignScan.fdw_private, by position; the same for
// both wrappers.
enum PlanPrivate {
  kPlanSql = 0,          // String: remote SELECT
  kPlanAttnums = 1,      // IntList: local attnums of the fetched columns, in SELECT order
  kPlanRemoteTable = 2,  // String: the remote table, as messages show it
  kPlanParamFlags = 3,   // IntList: per fdw_exprs entry, 1 when a flag '?' precedes it
  kPlanLocator = 4  // Integer, minibar_sqlite only: 1 when the first fetched column is the rowid
};

// GetForeignPlan's result: the ForeignScan of baserel, checking
// clauses.local_exprs locally and sending clauses.fdw_exprs as parameters.
// Its fdw_private holds sql, attnums, remote_table (both palloc'd) and clauses.param_flags
// (PlanPrivate), then the wrapper's own items (wrapper_items, from kPlanLocator on).
ForeignScan *push_plan_foreign_scan(RelOptInfo *baserel, List *tlist, const ScanClauses &clauses,
                                    Plan *outer_plan, char *sql, List *attnums, char *remote_table,
                                    List *wrapper_items = NIL);

// For BeginForeignScan: the items push_plan_foreign_scan kept in the
// fdw_private of node's plan, and the foreign table's relation name and server.
struct PlanItems {
  List *fdw_private;  // the whole list, for the wrapper's own items
  const char *sql;
  List *attnums;
  const char *remote_table;
  List *param_flags;
  const char *relname;  // palloc'd
  Oid serverid;
};
PlanItems push_plan_items(const ForeignScanState *node);

// ExplainForeignScan: with VERBOSE, the remote query (the first item of the
// plan's fdw_private) as property label.
void push_plan_explain(ForeignScanState *node, ExplainState *es, const char *label);

}  // namespace minibar::pg
