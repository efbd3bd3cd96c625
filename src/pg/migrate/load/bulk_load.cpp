#include "pg/migrate/load/bulk_load.hpp"

#include <string>

#include "core/convert/json_text.hpp"

#include "pg/base/guard.hpp"
#include "pg/base/spi.hpp"
#include "pg/migrate/progress.hpp"

namespace minibar::pg {

namespace {

// One element of a reject's problems array: {column, sqlstate, reason,
// value} (value null when not known).
void append_problem(std::string &out, const std::string &column, const std::string &sqlstate,
                    const std::string &reason, const std::string &value) {
  if (out.size() > 1) out += ", ";
  out += "{\"column\": ";
  json_append_string(out, column);
  out += ", \"sqlstate\": ";
  json_append_string(out, sqlstate);
  out += ", \"reason\": ";
  json_append_string(out, reason);
  out += ", \"value\": ";
  if (value.empty())
    out += "null";
  else
    json_append_string(out, value);
  out += "}";
}

// PostgreSQL state of a load; every member is palloc'd or owned by PostgreSQL.
struct PgState {
  Relation rel;
  TupleDesc desc;
  int natts;
  TupleTableSlot **slots;
  BulkInsertState bistate;
  CommandId cid;
  EState *estate;
  ResultRelInfo *rri;
  bool has_indexes;
  int nchecks;
  ExprState **checks;
  const char **check_names;
  int ndefaults;
  AttrNumber *default_atts;
  ExprState **defaults;
  bool *fed;  // by attnum - 1: the stream sets it
  MemoryContext batch_cxt;
  MemoryContext caller_cxt;
  bool general;
  bool rls;  // row-level security applies to the user: general path, policy refusals are rejects
  SPIPlanPtr insert_plan;
  Datum *row_values;  // general path: per batch row, ntargets values
  char *row_nulls;
};

bool needs_general_path(Relation rel) {
  if (rel->rd_rel->relkind != RELKIND_RELATION) return true;
  TriggerDesc *td = rel->trigdesc;
  if (td && (td->trig_insert_before_row || td->trig_insert_after_row ||
             td->trig_insert_instead_row || td->trig_insert_new_table ||
             td->trig_insert_before_statement || td->trig_insert_after_statement))
    return true;
  TupleConstr *constr = rel->rd_att->constr;
  if (constr && constr->has_generated_stored) return true;
  return false;
}

void pg_setup(PgState *s, const LoadRequest &req) {
  s->rel = req.rel;
  s->desc = RelationGetDescr(req.rel);
  s->natts = s->desc->natts;
  s->caller_cxt = CurrentMemoryContext;
  // Row-level security is applied by the rewriter to INSERT, never to the
  // heap: with it the rows must go through the executor, like COPY FROM
  // would have to (it refuses such tables).
  s->rls = check_enable_rls(RelationGetRelid(req.rel), InvalidOid, false) == RLS_ENABLED;
  s->general = s->rls || needs_general_path(req.rel);
  s->slots = static_cast<TupleTableSlot **>(palloc0(sizeof(TupleTableSlot *) * req.batch_size));
  s->fed = static_cast<bool *>(palloc0(sizeof(bool) * (s->natts + 1)));
  for (int i = 0; i < req.ntargets; i++) s->fed[req.targets[i].attnum - 1] = true;
  s->estate = CreateExecutorState();
  s->batch_cxt =
      AllocSetContextCreate(CurrentMemoryContext, "minibar_migrate batch", ALLOCSET_DEFAULT_SIZES);
  s->nchecks = 0;
  s->ndefaults = 0;
  s->has_indexes = false;
  s->insert_plan = nullptr;
  if (s->general) {
    // INSERT INTO t (fed columns) VALUES ($1, ...): PostgreSQL routes, fires
    // triggers and computes the rest.
    StringInfoData sql;
    initStringInfo(&sql);
    appendStringInfo(&sql, "INSERT INTO %s.%s (",
                     quote_identifier(get_namespace_name(RelationGetNamespace(req.rel))),
                     quote_identifier(RelationGetRelationName(req.rel)));
    Oid *types = static_cast<Oid *>(palloc(sizeof(Oid) * (req.ntargets + 1)));
    bool identity_always = false;
    for (int i = 0; i < req.ntargets; i++) {
      Form_pg_attribute att = TupleDescAttr(s->desc, req.targets[i].attnum - 1);
      appendStringInfo(&sql, "%s%s", i ? ", " : "", quote_identifier(NameStr(att->attname)));
      types[i] = att->atttypid;
      if (att->attidentity == ATTRIBUTE_IDENTITY_ALWAYS) identity_always = true;
    }
    appendStringInfoString(&sql,
                           identity_always ? ") OVERRIDING SYSTEM VALUE VALUES (" : ") VALUES (");
    for (int i = 0; i < req.ntargets; i++) appendStringInfo(&sql, "%s$%d", i ? ", " : "", i + 1);
    appendStringInfoChar(&sql, ')');
    s->insert_plan = SPI_prepare(sql.data, req.ntargets, types);
    if (!s->insert_plan) elog(ERROR, "SPI_prepare failed: %s", sql.data);
    s->row_values = static_cast<Datum *>(palloc(sizeof(Datum) * req.ntargets * req.batch_size));
    s->row_nulls = static_cast<char *>(palloc(req.ntargets * req.batch_size));
    s->bistate = nullptr;
    s->rri = nullptr;
    s->checks = nullptr;
    for (int i = 0; i < req.batch_size; i++)
      s->slots[i] = MakeSingleTupleTableSlot(s->desc, &TTSOpsVirtual);
    return;
  }
  for (int i = 0; i < req.batch_size; i++) s->slots[i] = table_slot_create(req.rel, nullptr);
  s->bistate = GetBulkInsertState();
  s->cid = GetCurrentCommandId(true);
  s->rri = makeNode(ResultRelInfo);
  InitResultRelInfo(s->rri, req.rel, 1, nullptr, 0);
  if (req.rel->rd_rel->relhasindex) {
    ExecOpenIndices(s->rri, false);
    s->has_indexes = s->rri->ri_NumIndices > 0;
  }
  // CHECK constraints, checked per row (table_multi_insert does not).
  TupleConstr *constr = s->desc->constr;
  if (constr && constr->num_check > 0) {
    s->nchecks = constr->num_check;
    s->checks = static_cast<ExprState **>(palloc(sizeof(ExprState *) * s->nchecks));
    s->check_names = static_cast<const char **>(palloc(sizeof(char *) * s->nchecks));
    for (int i = 0; i < s->nchecks; i++) {
      Expr *e = static_cast<Expr *>(stringToNode(constr->check[i].ccbin));
      s->checks[i] = ExecPrepareExpr(e, s->estate);
      s->check_names[i] = constr->check[i].ccname;
    }
  }
  // Defaults of the columns the stream does not set (identity, serial, now()).
  s->default_atts = static_cast<AttrNumber *>(palloc(sizeof(AttrNumber) * (s->natts + 1)));
  s->defaults = static_cast<ExprState **>(palloc(sizeof(ExprState *) * (s->natts + 1)));
  for (int a = 0; a < s->natts; a++) {
    Form_pg_attribute att = TupleDescAttr(s->desc, a);
    if (att->attisdropped || s->fed[a]) continue;
    Node *def = build_column_default(req.rel, a + 1);
    if (!def) continue;
    s->default_atts[s->ndefaults] = static_cast<AttrNumber>(a + 1);
    s->defaults[s->ndefaults] =
        ExecPrepareExpr(expression_planner(reinterpret_cast<Expr *>(def)), s->estate);
    s->ndefaults++;
  }
}

// Fills one slot's unfed columns and checks the row; returns the failed
// check's name, "" for a NOT NULL violation (*bad_att set), or nullptr.
const char *pg_complete_row(PgState *s, TupleTableSlot *slot, int *bad_att) {
  ExprContext *econtext = GetPerTupleExprContext(s->estate);
  for (int d = 0; d < s->ndefaults; d++) {
    int a = s->default_atts[d] - 1;
    slot->tts_values[a] = ExecEvalExpr(s->defaults[d], econtext, &slot->tts_isnull[a]);
  }
  for (int a = 0; a < s->natts; a++) {
    Form_pg_attribute att = TupleDescAttr(s->desc, a);
    if (att->attnotnull && slot->tts_isnull[a]) {
      *bad_att = a + 1;
      return "";
    }
  }
  ExecStoreVirtualTuple(slot);
  econtext->ecxt_scantuple = slot;
  for (int i = 0; i < s->nchecks; i++)
    if (!ExecCheck(s->checks[i], econtext)) return s->check_names[i];
  return nullptr;
}

void pg_insert_batch(PgState *s, int n) {
  if (n == 0) return;
  table_multi_insert(s->rel, s->slots, n, s->cid, 0, s->bistate);
  if (s->has_indexes) {
    for (int k = 0; k < n; k++) {
      ResetPerTupleExprContext(s->estate);
      List *r = ExecInsertIndexTuples(s->rri, s->slots[k], s->estate, false, false, nullptr, NIL);
      list_free(r);
    }
  }
}

// One row (slot k) into the heap and the indexes, without the bulk state
// (used inside a per-row subtransaction).
void pg_insert_one(PgState *s, int k) {
  table_tuple_insert(s->rel, s->slots[k], s->cid, 0, nullptr);
  ResetPerTupleExprContext(s->estate);
  List *r = ExecInsertIndexTuples(s->rri, s->slots[k], s->estate, false, false, nullptr, NIL);
  list_free(r);
}

// A buffer pin may not outlive the subtransaction that took it: dropped
// before a guarded batch commits; after a rollback the abort released it.
void pg_drop_bulk_pin(PgState *s, bool released_by_abort) {
  if (released_by_abort)
    s->bistate->current_buf = InvalidBuffer;
  else
    ReleaseBulkInsertStatePin(s->bistate);
}

void pg_finish(PgState *s, int batch_size) {
  if (!s->general) {
    FreeBulkInsertState(s->bistate);
    table_finish_bulk_insert(s->rel, 0);
    ExecCloseIndices(s->rri);  // a no-op when none were opened
  } else {
    SPI_freeplan(s->insert_plan);
  }
  for (int i = 0; i < batch_size; i++) ExecDropSingleTupleTableSlot(s->slots[i]);
  FreeExecutorState(s->estate);
  MemoryContextDelete(s->batch_cxt);
}

class Loader {
 public:
  explicit Loader(const LoadRequest &req) : req_(req) {}

  LoadCounts run() {
    pg_call([&] { pg_setup(&s_, req_); });
    counts_.general_path = s_.general;
    // Rows of a target that has indexes (one that existed before) can fail on
    // insert (a duplicate key): such batches are guarded, and need each row's key.
    guarded_ = !s_.general && s_.has_indexes;
    if (s_.general || guarded_) general_keys_.resize(static_cast<size_t>(req_.batch_size));
    bool eof = false;
    while (!eof) {
      check_for_interrupts();
      pg_call([&] {
        MemoryContextReset(s_.batch_cxt);
        MemoryContextSwitchTo(s_.batch_cxt);
      });
      int n = 0;
      pending_.clear();
      Subxact sx;
      sx.begin();
      while (n < req_.batch_size) {
        if (!req_.rows->next()) {
          eof = true;
          break;
        }
        counts_.read++;
        if (InterruptPending)
          check_for_interrupts();  // a flag test per row; the call only when set
        if (convert_row(sx, n)) n++;
      }
      sx.commit();
      if (s_.general)
        insert_general(n);
      else if (guarded_)
        insert_guarded(n);
      else {
        pg_call([&] { pg_insert_batch(&s_, n); });
        counts_.copied += n;
      }
      pg_call([&] { MemoryContextSwitchTo(s_.caller_cxt); });
      for (const RejectRecord &r : pending_) reject(r);
      // pg_stat_progress_copy (when a progress command was started) and minibar_migrate.progress.
      pg_call([&] {
        const int index[] = {PROGRESS_COPY_TUPLES_PROCESSED, PROGRESS_COPY_TUPLES_EXCLUDED};
        const int64 value[] = {counts_.copied, counts_.rejected};
        pgstat_progress_update_multi_param(2, index, value);
      });
      progress_tick();  // the caller's interval NOTICE, when this backend is the caller
    }
    counts_.zero_dates = req_.rows->zero_dates() - zero_dates_rejected_;
    pg_call([&] { pg_finish(&s_, req_.batch_size); });
    return counts_;
  }

 private:
  // Converts the current remote row into slot n; false when it was rejected.
  bool convert_row(Subxact &sx, int n) {
    TupleTableSlot *slot = s_.slots[n];
    const int64_t zero_dates_before = req_.rows->zero_dates();
    RowFault fault;
    bool ok = false;
    try {
      pg_call([&] {
        ExecClearTuple(slot);
        for (int a = 0; a < s_.natts; a++) {
          slot->tts_values[a] = 0;
          slot->tts_isnull[a] = true;
        }
      });
      ok = req_.rows->try_fill(slot->tts_values, slot->tts_isnull, &fault);
      if (ok && s_.general) {
        pg_call([&] { ExecStoreVirtualTuple(slot); });
      } else if (ok) {
        const char *failed = nullptr;
        int bad_att = 0;
        pg_call([&] {
          failed = pg_complete_row(&s_, slot, &bad_att);
          ResetPerTupleExprContext(s_.estate);
        });
        if (failed) {
          ok = false;
          if (*failed == '\0') {
            const char *name = NameStr(TupleDescAttr(s_.desc, bad_att - 1)->attname);
            fault.column = target_index(bad_att);
            fault.sqlstate = sqlstate::kNotNullViolation;
            fault.reason =
                std::string("null value in column \"") + name + "\" violates not-null constraint";
          } else {
            fault.column = -1;
            fault.sqlstate = sqlstate::kCheckViolation;
            fault.reason = std::string("row violates check constraint \"") + failed + "\"";
          }
          if (fault.column >= 0) fault.value = req_.rows->describe_value(fault.column);
        }
      }
    } catch (const PgError &e) {
      ErrorData *ed = e.edata();
      sx.rollback();
      if (!is_data_error(ed)) throw;
      fault.column = req_.rows->current_column();
      fault.sqlstate = sqlstate_of(ed);
      fault.reason = ed->message ? ed->message : "error";
      if (fault.column >= 0) fault.value = req_.rows->describe_value(fault.column);
      sx.begin();
      pg_call([&] { MemoryContextSwitchTo(s_.batch_cxt); });
      if (fault.column >= 0) probe_columns_after(fault);
      ok = false;
    }
    if (ok) {
      if (s_.general || guarded_) general_keys_[static_cast<size_t>(n)] = record(RowFault{}).row;
      return true;
    }
    // Zero dates of a rejected row were not copied as NULL: do not count them.
    zero_dates_rejected_ += req_.rows->zero_dates() - zero_dates_before;
    pending_.push_back(record(fault));
    return false;
  }

  // A row PostgreSQL refused a value of (fault.column): each later column's
  // value is built on its own, in a subtransaction, so that the reject names
  // every value that does not fit. Only rejected rows pay for this.
  void probe_columns_after(RowFault &fault) {
    for (int j = fault.column + 1; j < req_.ntargets; j++) {
      pg_call([&] { CHECK_FOR_INTERRUPTS(); });
      Subxact probe;
      probe.begin();
      try {
        req_.rows->build_column(j);
        probe.commit();
      } catch (const PgError &e) {
        probe.rollback();
        const ErrorData *ed = e.edata();
        if (!is_data_error(ed)) throw;
        fault.more.push_back(ColumnFault{j, sqlstate_of(ed), ed->message ? ed->message : "error",
                                         req_.rows->describe_value(j)});
      }
      pg_call([&] { MemoryContextSwitchTo(s_.batch_cxt); });
    }
  }

  int target_index(int attnum) const {
    for (int i = 0; i < req_.ntargets; i++)
      if (req_.targets[i].attnum == attnum) return i;
    return -1;
  }

  RejectRecord record(const RowFault &f) {
    RejectRecord r;
    r.row = "{";
    bool first = true;
    auto add = [&](int i) {
      if (!first) r.row += ", ";
      first = false;
      json_append_string(r.row, req_.targets[i].attname);
      r.row += ": ";
      req_.rows->append_json(r.row, i);
    };
    if (!req_.key_columns.empty())
      for (int i : req_.key_columns) add(i);
    else
      for (int i = 0; i < req_.ntargets; i++) add(i);
    r.row += "}";
    if (f.column >= 0 && f.column < req_.ntargets) r.column = req_.targets[f.column].attname;
    r.reason = f.reason;
    r.sqlstate = f.sqlstate;
    r.value = f.value;
    if (!r.column.empty()) {
      r.problems = "[";
      append_problem(r.problems, r.column, f.sqlstate, f.reason, f.value);
      for (const ColumnFault &c : f.more)
        if (c.column >= 0 && c.column < req_.ntargets)
          append_problem(r.problems, req_.targets[c.column].attname, c.sqlstate, c.reason, c.value);
      r.problems += "]";
    }
    return r;
  }

  // Batch row k, which PostgreSQL refused with ed (general or guarded path).
  RejectRecord refused(int k, const ErrorData *ed) const {
    RejectRecord r;
    r.row = general_keys_[static_cast<size_t>(k)];
    r.reason = ed->message ? ed->message : "error";
    if (ed->column_name) r.column = ed->column_name;
    r.sqlstate = sqlstate_of(ed);
    if (!r.column.empty()) {
      r.problems = "[";
      append_problem(r.problems, r.column, r.sqlstate, r.reason, "");
      r.problems += "]";
    }
    return r;
  }

  void reject(const RejectRecord &r) {
    counts_.rejected++;
    req_.rejects->add(r);
    if (req_.max_rejects >= 0 && counts_.rejected > req_.max_rejects)
      throw Error(sqlstate::kProgramLimitExceeded,
                  "more than " + std::to_string(req_.max_rejects) + " rows rejected (max_rejects)",
                  "First reject: row " + req_.rejects->first()->row + ", " +
                      (req_.rejects->first()->column.empty()
                           ? ""
                           : "column " + req_.rejects->first()->column + ": ") +
                      req_.rejects->first()->reason,
                  "Nothing was kept. Fix the source rows, map the columns to types that hold "
                  "them, or raise max_rejects and read minibar_migrate.rejects.");
  }

  // A target with indexes: the batch goes in inside a subtransaction; when a
  // row breaks a unique index (or an index expression fails on it), the batch
  // is rolled back and inserted row by row, each row in its own
  // subtransaction, so only the failing rows are rejected.
  void insert_guarded(int n) {
    if (n == 0) return;
    pg_call([&] { pg_drop_bulk_pin(&s_, false); });
    Subxact sx;
    sx.begin();
    try {
      pg_call([&] {
        pg_insert_batch(&s_, n);
        pg_drop_bulk_pin(&s_, false);
      });
      sx.commit();
      counts_.copied += n;
      return;
    } catch (const PgError &e) {
      ErrorData *ed = e.edata();
      sx.rollback();
      pg_call([&] { pg_drop_bulk_pin(&s_, true); });
      if (!is_data_error(ed)) throw;
    }
    for (int k = 0; k < n; k++) {
      Subxact one;
      one.begin();
      try {
        pg_call([&] { pg_insert_one(&s_, k); });
        one.commit();
        counts_.copied++;
      } catch (const PgError &e) {
        ErrorData *ed = e.edata();
        one.rollback();
        if (!is_data_error(ed)) throw;
        RejectRecord r = refused(k, ed);
        if (ed->detail) r.reason += std::string(" (") + ed->detail + ")";
        reject(r);
      }
    }
  }

  // General path: one prepared INSERT per row; a batch that fails is retried
  // row by row so that only the failing rows are rejected. A row a BEFORE
  // trigger suppressed is rejected too, so the report still adds up.
  void insert_general(int n) {
    if (n == 0) return;
    pg_call([&] { stage_general(n); });
    std::vector<int> skipped;
    Subxact sx;
    sx.begin();
    try {
      for (int k = 0; k < n; k++)
        if (exec_general(k) == 0) skipped.push_back(k);
      sx.commit();
      counts_.copied += n - static_cast<int64_t>(skipped.size());
    } catch (const PgError &e) {
      sx.rollback();
      if (!refusable(e.edata())) throw;
      skipped.clear();
      retry_general(n, skipped);
    }
    for (int k : skipped) {
      RejectRecord r;
      r.row = general_keys_[static_cast<size_t>(k)];
      r.reason = "a BEFORE INSERT trigger on the target skipped the row";
      r.sqlstate = "00000";
      pending_general_.push_back(std::move(r));
    }
    for (const RejectRecord &r : pending_general_) reject(r);
    pending_general_.clear();
  }

  void stage_general(int n) {
    for (int k = 0; k < n; k++) {
      TupleTableSlot *slot = s_.slots[k];
      for (int i = 0; i < req_.ntargets; i++) {
        int a = req_.targets[i].attnum - 1;
        s_.row_values[k * req_.ntargets + i] = slot->tts_values[a];
        s_.row_nulls[k * req_.ntargets + i] = slot->tts_isnull[a] ? 'n' : ' ';
      }
    }
  }

  // A row PostgreSQL refused on the general path that is a reject, not the
  // load's failure: a data error (class 22/23), or a row a row-level security
  // policy refused (42501, told apart from other 42501s, such as a missing
  // privilege, by the message's untranslated text).
  bool refusable(const ErrorData *ed) const {
    return is_data_error(ed) || (s_.rls && is_policy_refusal(ed));
  }

  int64_t exec_general(int k) {
    int64_t done = 0;
    pg_call([&] {
      int rc = SPI_execute_plan(s_.insert_plan, &s_.row_values[k * req_.ntargets],
                                &s_.row_nulls[k * req_.ntargets], false, 0);
      if (rc != SPI_OK_INSERT) elog(ERROR, "INSERT failed (%d)", rc);
      done = static_cast<int64_t>(SPI_processed);
    });
    return done;
  }

  void retry_general(int n, std::vector<int> &skipped) {
    for (int k = 0; k < n; k++) {
      Subxact sx;
      sx.begin();
      try {
        int64_t done = exec_general(k);
        sx.commit();
        counts_.copied += done;
        if (done == 0) skipped.push_back(k);
      } catch (const PgError &e) {
        ErrorData *ed = e.edata();
        sx.rollback();
        if (!refusable(ed)) throw;
        pending_general_.push_back(refused(k, ed));
      }
    }
  }

  const LoadRequest &req_;
  PgState s_{};
  LoadCounts counts_;
  std::vector<RejectRecord> pending_;
  std::vector<RejectRecord> pending_general_;
  std::vector<std::string> general_keys_;  // general or guarded path: each batch row's key as JSON
  bool guarded_ = false;                   // insert_guarded: the target has indexes
  int64_t zero_dates_rejected_ = 0;
};

}  // namespace

LoadCounts bulk_load(const LoadRequest &req) {
  Loader loader(req);
  return loader.run();
}

}  // namespace minibar::pg
