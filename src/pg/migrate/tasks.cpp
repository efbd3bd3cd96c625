// run_next_task: claim one ready step of a run and do it, in the current
// transaction, recording its result in the same transaction.
#include <chrono>

#include "core/convert/number_parse.hpp"
#include "core/plan/chunk_plan.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/log.hpp"
#include "pg/migrate/tasks.hpp"
#include "pg/base/spi.hpp"
#include "pg/validate/table.hpp"

namespace minibar::pg {

namespace {

// "run 3: copy 'orders' [1, 5000) (task 4)": what a progress line says of a step.
std::string step_text(int64_t run_id, const TaskRow &c) {
  std::string s = "run " + std::to_string(run_id) + ": " + c.kind;
  if (!c.source_table.empty()) s += " " + log_name(c.source_table);
  if (c.key_lo || c.key_hi)
    s += " [" + (c.key_lo ? std::to_string(*c.key_lo) : std::string("-inf")) + ", " +
         (c.key_hi ? std::to_string(*c.key_hi) : std::string("inf")) + ")";
  if (!c.name.empty()) s += " " + log_name(c.name);
  return s + " (step " + std::to_string(c.task_no) + ")";
}

LoadCounts do_copy(int64_t run_id, const MigrateOptions &opts, MigrationSource &src,
                   const TaskRow &c) {
  const std::string chunk_key = run_table_chunk_key(run_id, c.source_table);
  RunTarget target = run_target(run_id, c.source_table);
  ChunkLoad load;
  load.source_table = c.source_table;
  load.target_name = target_name(target.relid, target.name);
  load.relid = target.relid;
  RunColumns cols = run_table_columns(run_id, c.source_table);
  load.source_columns = std::move(cols.source);
  load.target_columns = std::move(cols.target);
  load.key_columns = run_table_key_columns(run_id, c.source_table);
  if (!chunk_key.empty()) load.range = KeyRange{chunk_key, c.key_lo, c.key_hi};
  load.max_rejects = opts.max_rejects;
  if (opts.max_rejects >= 0)
    load.max_rejects =
        std::max<int64_t>(0, opts.max_rejects - run_rows_rejected(run_id, c.source_table));
  pg_call([&] {
    pgstat_progress_start_command(PROGRESS_COMMAND_COPY, load.relid);
    const int index[] = {PROGRESS_COPY_COMMAND, PROGRESS_COPY_TYPE, kProgressRunId, kProgressTaskNo,
                         kProgressRowsEstimated};
    const int64 value[] = {PROGRESS_COPY_COMMAND_FROM, PROGRESS_COPY_TYPE_CALLBACK, run_id,
                           c.task_no, c.rows_estimated};
    pgstat_progress_update_multi_param(5, index, value);
  });
  MigrateContext ctx;
  ctx.source = &src;
  ctx.options = &opts;
  ctx.run_id = run_id;
  LoadCounts counts = load_chunk(ctx, load);
  pg_call([&] { pgstat_progress_end_command(); });
  return counts;
}

void do_check(int64_t run_id, const MigrateOptions &opts, const TaskRow &c,
              std::vector<Note> &notes) {
  const CopyTotals totals = run_copy_totals(run_id, c.source_table);
  const int64_t copied = totals.rows_copied;
  const int64_t zero_dates = totals.zero_dates;
  RunTarget t = run_target(run_id, c.source_table);
  const std::string target = target_name(t.relid, t.name);
  const int64_t before = totals.rows_before;
  // Chunks copied at the same time each had the allowance left when they
  // started: the table as a whole must still be within max_rejects.
  const int64_t rejected = totals.rows_rejected;
  if (opts.max_rejects >= 0 && rejected > opts.max_rejects)
    throw Error(sqlstate::kProgramLimitExceeded,
                "table " + c.source_table + ": " + std::to_string(rejected) +
                    " rows rejected, more than max_rejects (" + std::to_string(opts.max_rejects) +
                    ")",
                "The rejected rows are in minibar_migrate.rejects.");
  // rows_before -1: row-level security hides rows from the caller (planned so).
  if (before >= 0) {
    int64_t after = count_target_rows(t.relid);
    if (after - before != copied)
      throw Error(sqlstate::kInternal,
                  "target " + target + " gained " + std::to_string(after - before) + " rows, but " +
                      std::to_string(copied) + " were copied",
                  "Nothing was kept.");
  }
  if (totals.general_path)
    notes.push_back({"load", c.source_table,
                     "target is partitioned, has triggers or generated columns, or row-level "
                     "security applies: rows went through INSERT, not the bulk path"});
  if (zero_dates > 0)
    notes.push_back(
        {"zero_dates", c.source_table, std::to_string(zero_dates) + " zero dates became NULL"});
  run_table_set_counts(run_id, c.source_table, totals);
}

void do_finish(int64_t run_id, const RunInfo &run, MigrationSource &src,
               std::vector<std::pair<std::string, Note>> &notes) {
  run_tables_finished(run_id);
  if (run.kind == "database") {
    // The run's own tables: a sequence left exhausted or not touched is a note
    // naming its table and column.
    std::vector<RunIdentity> tables = run_identity_tables(run_id);
    for (const auto &[table, note] : run_reset_sequences(run_id, run.target_schema))
      notes.push_back({table, {"sequence", table, note}});
    // Ids the source already handed out (rows deleted since) are not reused.
    // The counter is the source's text (MySQL's is unsigned, up to 2^64 - 1);
    // one past the sequence's maximum leaves the sequence exhausted, with a
    // note.
    std::map<std::string, std::string> next_ids = src.next_ids();
    for (const RunIdentity &t : tables) {
      const std::string &table = t.source_table;
      auto next = next_ids.find(table);
      if (next == next_ids.end()) continue;
      if (!parse_uint64(next->second) && !parse_int64(next->second)) {
        notes.push_back({table,
                         {"sequence", table,
                          "the source's next id is not a number (" + next->second.substr(0, 64) +
                              "): ignored"}});
        continue;
      }
      SpiRows set = spi_rows(
          "SELECT pg_catalog.setval(s::pg_catalog.regclass, LEAST($3::pg_catalog.numeric, "
          "q.seqmax)::pg_catalog.int8, $3::pg_catalog.numeric > q.seqmax), $3::pg_catalog.numeric "
          "> q.seqmax, q.seqmax "
          "FROM pg_catalog.pg_get_serial_sequence($1, $2) AS s JOIN pg_catalog.pg_sequence "
          "q ON q.seqrelid = s::pg_catalog.regclass WHERE $3::pg_catalog.numeric > "
          "coalesce(pg_catalog.pg_sequence_last_value(s::pg_catalog.regclass)::pg_catalog.numeric "
          "+ "
          "q.seqincrement, q.seqstart)",
          {t.target, t.column, next->second});
      if (!set.empty() && set[0].at(1).value_or("f") == "t")
        notes.push_back(
            {table,
             {"sequence", table,
              t.target + "." + t.column + ": the source's next id " + next->second +
                  " is beyond the sequence's maximum " + set[0].at(2).value_or("") +
                  ": the sequence is left exhausted (ids the source handed out are never reused; "
                  "inserts need explicit ids)"}});
    }
  }
  run_finish(run_id);
}

}  // namespace

TaskOutcome run_next_task(int64_t run_id, const RunInfo &run, const MigrateOptions &opts,
                          MigrationSource &src, TaskRow *done) {
  std::optional<TaskRow> c = run_claim_task(run_id);
  if (!c) return run_tasks_pending(run_id) == 0 ? TaskOutcome::AllDone : TaskOutcome::NoneReady;
  auto t0 = std::chrono::steady_clock::now();
  const bool logged = log_phase_wanted();
  if (logged) log_phase(step_text(run_id, *c) + ": start");
  std::vector<Note> notes;
  std::vector<std::pair<std::string, Note>> finish_notes;
  std::optional<LoadCounts> counts;
  if (c->kind == "copy") {
    counts = do_copy(run_id, opts, src, *c);
  } else if (c->kind == "index") {
    PlannedIndex idx;
    idx.kind = c->index_kind;
    idx.name = c->name;
    idx.columns = run_task_detail_list(run_id, c->task_no, "columns");
    for (const std::string &o : run_task_detail_list(run_id, c->task_no, "order"))
      idx.descending.push_back(o == "desc");
    run_post_load(run_target(run_id, c->source_table).relid, idx, notes);
  } else if (c->kind == "check") {
    do_check(run_id, opts, *c, notes);
  } else if (c->kind == "foreign_key") {
    ForeignKeyStep step;
    step.label = c->label;
    RunTarget table = run_target(run_id, c->source_table), ref = run_target(run_id, c->ref_table);
    step.table = table.relid;
    step.table_name = table.name;
    step.ref_table = ref.relid;
    step.ref_table_name = ref.name;
    step.fk.name = c->name;
    step.fk.ref_source_table = c->ref_table;
    step.fk.columns = run_task_detail_list(run_id, c->task_no, "columns");
    step.fk.ref_columns = run_task_detail_list(run_id, c->task_no, "ref_columns");
    step.fk.on_delete = c->on_delete;
    step.fk.on_update = c->on_update;
    apply_foreign_key(step, notes);
  } else if (c->kind == "analyze") {
    RunTarget t = run_target(run_id, c->source_table);
    spi_exec("ANALYZE " + target_name(t.relid, t.name));
  } else if (c->kind == "finish") {
    do_finish(run_id, run, src, finish_notes);
  } else {
    throw Error(sqlstate::kInternal, "unknown task kind " + c->kind);
  }
  for (const Note &n : notes) run_record_note(run_id, c->source_table, n);
  for (const auto &n : finish_notes) run_record_note(run_id, n.first, n.second);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  run_task_done(run_id, *c, seconds, counts ? &*counts : nullptr);
  // No duration: the log line's timestamp has it (log_line_prefix %m).
  if (logged)
    log_phase(step_text(run_id, *c) + ": done" +
              (counts ? ", " + std::to_string(counts->copied) + " row(s) copied, " +
                            std::to_string(counts->rejected) + " rejected"
                      : std::string()));
  if (done) *done = *c;
  return TaskOutcome::Ran;
}

int recheck_committed_copies(int64_t run_id, MigrationSource &src) {
  int recopied = 0;
  for (const RunTableBrief &tr : run_tables_in_order(run_id)) {
    check_for_interrupts();
    const std::string &source_table = tr.source_table;
    const std::string &chunk_key = tr.chunk_key;
    const bool created = tr.created;
    std::vector<DoneCopy> done = run_done_copies(run_id, source_table);
    if (done.empty()) continue;
    RunTarget target = run_target(run_id, source_table);
    const std::string qualified = target_name(target.relid, target.name);
    RunColumns cols = run_table_columns(run_id, source_table);
    const std::vector<std::string> &source_columns = cols.source;
    const std::vector<std::string> &target_columns = cols.target;
    std::string key_target;
    for (size_t i = 0; i < source_columns.size(); i++)
      if (!chunk_key.empty() && source_columns[i] == chunk_key) key_target = target_columns[i];
    std::vector<KeyRange> ranges;
    std::vector<int> task_nos;
    for (const DoneCopy &d : done) {
      // A chunk with rejected rows lacks them in the target by design: its
      // checksum cannot match, so it is noted instead of compared.
      if (d.rows_rejected != 0) {
        run_record_note(run_id, source_table,
                        {"resume", "task " + std::to_string(d.task_no),
                         "copied before the run was resumed with rejected rows: not compared "
                         "with the source again"});
        continue;
      }
      KeyRange r;
      if (!chunk_key.empty()) r = KeyRange{chunk_key, d.key_lo, d.key_hi};
      ranges.push_back(r);
      task_nos.push_back(d.task_no);
    }
    std::vector<std::string> diff =
        ranges_differ(src, source_table, target.relid, source_columns, target_columns, ranges);
    for (size_t i = 0; i < diff.size(); i++) {
      if (diff[i].empty()) {
        // Equal again (an earlier resume may have found it changed).
        run_task_mark_stale(run_id, task_nos[i], std::string());
        continue;
      }
      const std::string what = ranges[i].whole()
                                   ? std::string("the whole table")
                                   : "the chunk" + key_range_condition(ranges[i], src.dialect());
      if (!created || (!ranges[i].whole() && key_target.empty())) {
        // Rows of a table that existed before cannot be told from the run's:
        // the chunk stays as it was, and is stale (the run ends saying so).
        run_task_mark_stale(run_id, task_nos[i], diff[i]);
        run_record_note(run_id, source_table,
                        {"resume", what,
                         "changed in the source since it was copied (" + diff[i] +
                             "); not copied again: " + qualified +
                             " existed before the run, so the rows copied then stay as they were"});
        pg_call([&] {
          ereport(WARNING,
                  (errmsg("run %lld: %s of %s changed in the source since it was copied (%s)",
                          static_cast<long long>(run_id), what.c_str(), source_table.c_str(),
                          diff[i].c_str()),
                   errdetail("%s existed before the run: the rows copied then stay as they were.",
                             qualified.c_str())));
        });
        continue;
      }
      // A table the run created: that part goes and is copied again from the
      // current snapshot, so the counts are true as of the resumed run.
      spi_exec("DELETE FROM " + qualified +
               (ranges[i].whole() ? std::string() : pg_key_range_condition(key_target, ranges[i])));
      run_task_redo_copy(run_id, source_table, task_nos[i]);
      run_record_note(run_id, source_table,
                      {"resume", what,
                       "changed in the source since it was copied (" + diff[i] +
                           "): copied again when the run was resumed"});
      recopied++;
    }
  }
  return recopied;
}

}  // namespace minibar::pg
