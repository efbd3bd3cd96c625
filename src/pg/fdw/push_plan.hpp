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

// GetForeignPaths: the one path, the remote query at these costs.
void push_plan_add_path(PlannerInfo *root, RelOptInfo *baserel, Cost startup, Cost total);

// ExplainForeignScan: with VERBOSE, the remote query (the first item of the
// plan's fdw_private) as property label.
void push_plan_explain(ForeignScanState *node, ExplainState *es, const char *label);

}  // namespace minibar::pg
