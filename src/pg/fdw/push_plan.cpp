#include "pg/fdw/push_plan.hpp"

namespace minibar::pg {

namespace {

bool uses_attr(const PushPlan *plan, int attnum) {
  return bms_is_member(attnum - FirstLowInvalidHeapAttributeNumber, plan->attrs_used);
}

}  // namespace

void push_plan_init(PushPlan *plan, Index rti, Oid relid, Dialect dialect,
                    RemoteColumnFn remote_column) {
  Relation rel = table_open(relid, NoLock);
  TupleDesc desc = RelationGetDescr(rel);
  plan->rel.relid = rti;
  plan->rel.dialect = dialect;
  plan->rel.natts = desc->natts;
  plan->rel.remote_names = static_cast<const char **>(palloc0(sizeof(char *) * desc->natts));
  plan->rel.remote_class = static_cast<char *>(palloc0(desc->natts));
  for (int i = 0; i < desc->natts; i++)
    if (!TupleDescAttr(desc, i)->attisdropped)
      plan->rel.remote_names[i] = remote_column(relid, static_cast<AttrNumber>(i + 1));
  table_close(rel, NoLock);
}

void push_plan_classify(PushPlan *plan, RelOptInfo *baserel) {
  ListCell *lc;
  foreach (lc, baserel->baserestrictinfo) {
    auto *ri = static_cast<RestrictInfo *>(lfirst(lc));
    List *params = NIL;
    PushCond *cond = remote_pushable(ri->clause, &plan->rel, &params);
    if (cond) {
      plan->remote_conds = lappend(plan->remote_conds, ri);
      plan->push_conds = lappend(plan->push_conds, cond);
      plan->push_params = lappend(plan->push_params, params);
    }
    if (!cond || cond->recheck) plan->local_conds = lappend(plan->local_conds, ri);
  }
  pull_varattnos(reinterpret_cast<Node *>(baserel->reltarget->exprs), baserel->relid,
                 &plan->attrs_used);
  foreach (lc, plan->local_conds)
    pull_varattnos(reinterpret_cast<Node *>(static_cast<RestrictInfo *>(lfirst(lc))->clause),
                   baserel->relid, &plan->attrs_used);
}

void push_plan_check_columns(const PushPlan *plan, Oid relid, const char *wrapper,
                             const char *server_name, const char *remote_kind,
                             const char *remote_table) {
  bool whole_row = uses_attr(plan, 0);
  for (int i = 0; i < plan->rel.natts; i++) {
    if (!plan->rel.remote_names[i] || plan->rel.remote_class[i]) continue;
    if (!whole_row && !uses_attr(plan, i + 1)) continue;
    ereport(ERROR,
            (errcode(ERRCODE_FDW_COLUMN_NAME_NOT_FOUND),
             errmsg("column \"%s\" of foreign table \"%s\" does not exist in %s table %s",
                    plan->rel.remote_names[i], get_rel_name(relid), remote_kind, remote_table),
             errdetail("%s server \"%s\"", wrapper, server_name),
             errhint("The %s table was altered after the foreign table was defined; "
                     "re-import it or ALTER FOREIGN TABLE to match.",
                     remote_kind)));
  }
}

List *push_plan_attnums(const PushPlan *plan) {
  bool whole_row = uses_attr(plan, 0);
  List *attnums = NIL;
  for (int i = 0; i < plan->rel.natts; i++) {
    if (!plan->rel.remote_names[i]) continue;
    if (whole_row || uses_attr(plan, i + 1)) attnums = lappend_int(attnums, i + 1);
  }
  return attnums;
}

ScanClauses push_plan_scan_clauses(const PushPlan *plan, List *scan_clauses) {
  ScanClauses out = {NIL, NIL, NIL, NIL};
  ListCell *lc;
  foreach (lc, scan_clauses) {
    auto *ri = lfirst_node(RestrictInfo, lc);
    int idx = -1;
    for (int i = 0; i < list_length(plan->remote_conds); i++)
      if (list_nth(plan->remote_conds, i) == ri) idx = i;
    if (idx < 0) {
      out.local_exprs = lappend(out.local_exprs, ri->clause);
      continue;
    }
    auto *cond = static_cast<PushCond *>(list_nth(plan->push_conds, idx));
    out.used_conds = lappend(out.used_conds, cond);
    out.fdw_exprs =
        list_concat(out.fdw_exprs, static_cast<List *>(list_nth(plan->push_params, idx)));
    out.param_flags = push_param_flags(cond, out.param_flags);
    if (cond->recheck) out.local_exprs = lappend(out.local_exprs, ri->clause);
  }
  return out;
}

void push_plan_select(const PushPlan *plan, List *attnums, const ScanClauses &clauses,
                      RemoteSelect *q) {
  ListCell *lc;
  foreach (lc, attnums) q->columns.emplace_back(plan->rel.remote_names[lfirst_int(lc) - 1]);
  foreach (lc, clauses.used_conds)
    q->where.push_back(to_remote_cond(static_cast<PushCond *>(lfirst(lc))));
}

void push_plan_add_path(PlannerInfo *root, RelOptInfo *baserel, Cost startup, Cost row_cost) {
  Cost total = startup + baserel->tuples * cpu_operator_cost + baserel->rows * row_cost;
  add_path(baserel, reinterpret_cast<Path *>(create_foreignscan_path(
                        root, baserel, nullptr, baserel->rows, startup, total, NIL,
                        baserel->lateral_relids, nullptr, NIL)));
}

ForeignScan *push_plan_foreign_scan(RelOptInfo *baserel, List *tlist, const ScanClauses &clauses,
                                    Plan *outer_plan, char *sql, List *attnums, char *remote_table,
                                    List *wrapper_items) {
  static_assert(kPlanSql == 0 && kPlanAttnums == 1 && kPlanRemoteTable == 2 &&
                    kPlanParamFlags == 3 && kPlanLocator == 4,
                "the order of list_make4 below");
  List *priv = list_make4(makeString(sql), attnums, makeString(remote_table), clauses.param_flags);
  priv = list_concat(priv, wrapper_items);
  return make_foreignscan(tlist, clauses.local_exprs, baserel->relid, clauses.fdw_exprs, priv, NIL,
                          NIL, outer_plan);
}

PlanItems push_plan_items(const ForeignScanState *node) {
  auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
  Relation rel = node->ss.ss_currentRelation;
  PlanItems items;
  items.fdw_private = plan->fdw_private;
  items.relname = pstrdup(RelationGetRelationName(rel));
  items.serverid = GetForeignTable(RelationGetRelid(rel))->serverid;
  items.sql = strVal(list_nth(plan->fdw_private, kPlanSql));
  items.attnums = static_cast<List *>(list_nth(plan->fdw_private, kPlanAttnums));
  items.remote_table = strVal(list_nth(plan->fdw_private, kPlanRemoteTable));
  items.param_flags = static_cast<List *>(list_nth(plan->fdw_private, kPlanParamFlags));
  return items;
}

void push_plan_explain(ForeignScanState *node, ExplainState *es, const char *label) {
  auto *plan = reinterpret_cast<ForeignScan *>(node->ss.ps.plan);
  if (es->verbose) ExplainPropertyText(label, strVal(linitial(plan->fdw_private)), es);
}

}  // namespace minibar::pg
