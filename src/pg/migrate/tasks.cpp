// run_next_task: claim one ready step of a run and do it, in the current
// transaction, recording its result in the same transaction.
#include <chrono>

#include "core/convert/number_parse.hpp"
#include "core/plan/chunk_plan.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/migrate/tasks.hpp"
#include "pg/base/spi.hpp"
#include "pg/validate/table.hpp"

namespace minibar::pg {

namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

struct Claimed {
  int task_no = 0;
  std::string kind, source_table;
  std::optional<int64_t> key_lo, key_hi;
  int64_t rows_estimated = -1;
  std::string started_at;
  // index / foreign_key: the plan entry, from run_tasks.detail
  std::string label, name, ref_table, on_delete, on_update, index_kind;
};

std::optional<int64_t> as_int(const std::optional<std::string> &v) {
  if (!v) return std::nullopt;
  return to_int64(*v);
}

// A text array of a task's plan entry, in order.
std::vector<std::string> detail_list(int64_t run_id, int task_no, const char *key) {
  std::vector<std::string> out;
  for (const auto &r : spi_rows(
           "SELECT u.x FROM minibar_migrate.run_tasks t, pg_catalog.jsonb_array_elements_text("
           "t.detail -> $3) WITH ORDINALITY AS u(x, n) WHERE t.run_id = $1::pg_catalog.int8 AND "
           "t.task_no = $2::pg_catalog.int4 ORDER BY u.n",
           {std::to_string(run_id), std::to_string(task_no), key}))
    out.push_back(r.at(0).value_or(""));
  return out;
}

std::optional<Claimed> claim(int64_t run_id) {
  Rows r = state_rows(
      "SELECT t.task_no, t.kind, coalesce(t.source_table, ''), t.key_lo, "
      "t.key_hi, coalesce(t.rows_estimated, -1), pg_catalog.clock_timestamp()::pg_catalog.text, "
      "t.detail ->> 'label', t.detail ->> 'name', t.detail ->> 'ref_table', "
      "t.detail ->> 'on_delete', t.detail ->> 'on_update', t.detail ->> 'kind' "
      "FROM minibar_migrate.run_tasks t WHERE t.run_id = $1::pg_catalog.int8 AND t.state = "
      "'pending' AND NOT EXISTS (SELECT 1 FROM minibar_migrate.run_tasks u WHERE u.run_id = "
      "t.run_id AND u.state = 'pending' AND u.phase < t.phase AND (NOT t.table_scoped OR "
      "u.source_table = t.source_table)) ORDER BY t.phase, t.rows_estimated DESC NULLS LAST, "
      "t.task_no LIMIT 1 FOR UPDATE OF t SKIP LOCKED",
      {std::to_string(run_id)});
  if (r.empty()) return std::nullopt;
  const auto &row = r[0];
  Claimed c;
  c.task_no = to_int(row.at(0).value_or("0"));
  c.kind = row.at(1).value_or("");
  c.source_table = row.at(2).value_or("");
  c.key_lo = as_int(row.at(3));
  c.key_hi = as_int(row.at(4));
  c.rows_estimated = to_int64(row.at(5).value_or("-1"));
  c.started_at = row.at(6).value_or("");
  c.label = row.at(7).value_or("");
  c.name = row.at(8).value_or("");
  c.ref_table = row.at(9).value_or("");
  c.on_delete = row.at(10).value_or("");
  c.on_update = row.at(11).value_or("");
  c.index_kind = row.at(12).value_or("");
  return c;
}

std::vector<std::string> column(const Rows &rows, size_t i) {
  std::vector<std::string> out;
  for (const auto &r : rows) out.push_back(r.at(i).value_or(""));
  return out;
}

// A table of the run: its target's OID and its name as recorded.
struct Target {
  Oid relid = InvalidOid;
  std::string name;
};
Target target_of(int64_t run_id, const std::string &source_table) {
  Rows t = spi_rows(
      "SELECT target_relid, target_table FROM minibar_migrate.run_tables WHERE "
      "run_id = $1::pg_catalog.int8 AND source_table = $2",
      {std::to_string(run_id), source_table});
  if (t.empty())
    throw Error("XX000", "run " + std::to_string(run_id) + " has no table " + source_table);
  return {static_cast<Oid>(to_uint32(t[0].at(0).value_or("0"))), t[0].at(1).value_or("")};
}

void mark_done(int64_t run_id, const Claimed &c, double seconds, const LoadCounts *counts) {
  std::vector<std::string> args{std::to_string(run_id), std::to_string(c.task_no), c.started_at,
                                std::to_string(seconds)};
  std::string set;
  if (counts) {
    set =
        ", rows_source = $5::pg_catalog.int8, rows_copied = $6::pg_catalog.int8, rows_rejected = "
        "$7::pg_catalog.int8, zero_dates = $8::pg_catalog.int8, general_path = $9::pg_catalog.bool";
    args.insert(args.end(), {std::to_string(counts->source), std::to_string(counts->copied),
                             std::to_string(counts->rejected), std::to_string(counts->zero_dates),
                             counts->general_path ? "true" : "false"});
  }
  state_rows(
      "UPDATE minibar_migrate.run_tasks SET state = 'done', started_at = "
      "$3::pg_catalog.timestamptz, finished_at = pg_catalog.clock_timestamp(), seconds = "
      "$4::pg_catalog.float8, worker_pid = pg_catalog.pg_backend_pid()" +
          set + " WHERE run_id = $1::pg_catalog.int8 AND task_no = $2::pg_catalog.int4",
      args);
}

LoadCounts do_copy(int64_t run_id, const MigrateOptions &opts, MigrationSource &src,
                   const Claimed &c) {
  const std::vector<std::string> key{std::to_string(run_id), c.source_table};
  Rows t = spi_rows(
      "SELECT coalesce(chunk_key, '') FROM minibar_migrate.run_tables WHERE "
      "run_id = $1::pg_catalog.int8 AND source_table = $2",
      key);
  Target target = target_of(run_id, c.source_table);
  ChunkLoad load;
  load.source_table = c.source_table;
  load.target_name = target_name(target.relid, target.name);
  load.relid = target.relid;
  Rows cols = spi_rows(
      "SELECT u.s, u.t FROM minibar_migrate.run_tables rt, ROWS FROM (pg_catalog.unnest("
      "rt.source_columns), pg_catalog.unnest(rt.target_columns)) WITH ORDINALITY AS u(s, t, n) "
      "WHERE rt.run_id = $1::pg_catalog.int8 AND "
      "rt.source_table = $2 ORDER BY u.n",
      key);
  load.source_columns = column(cols, 0);
  load.target_columns = column(cols, 1);
  load.key_columns = column(
      spi_rows("SELECT u.k FROM minibar_migrate.run_tables rt, pg_catalog.unnest(rt.key_columns) "
               "WITH ORDINALITY AS u(k, n) WHERE rt.run_id = $1::pg_catalog.int8 AND "
               "rt.source_table = $2 ORDER BY u.n",
               key),
      0);
  std::string chunk_key = t.at(0).at(0).value_or("");
  if (!chunk_key.empty()) load.range = KeyRange{chunk_key, c.key_lo, c.key_hi};
  load.max_rejects = opts.max_rejects;
  if (opts.max_rejects >= 0) {
    Rows done = spi_rows(
        "SELECT coalesce(sum(rows_rejected), 0) FROM minibar_migrate.run_tasks WHERE run_id = "
        "$1::pg_catalog.int8 AND source_table = $2 AND kind = 'copy' AND state = 'done'",
        key);
    load.max_rejects = std::max<int64_t>(0, opts.max_rejects - to_int64(done[0][0].value_or("0")));
  }
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

void do_check(int64_t run_id, const MigrateOptions &opts, const Claimed &c,
              std::vector<Note> &notes) {
  const std::vector<std::string> key{std::to_string(run_id), c.source_table};
  Rows s = spi_rows(
      "SELECT coalesce(sum(rows_source), 0), coalesce(sum(rows_copied), 0), "
      "coalesce(sum(rows_rejected), 0), coalesce(sum(zero_dates), 0), coalesce(bool_or("
      "general_path), false), (SELECT rows_before FROM "
      "minibar_migrate.run_tables WHERE run_id = $1::pg_catalog.int8 AND source_table = $2) FROM "
      "minibar_migrate.run_tasks WHERE run_id = $1::pg_catalog.int8 AND source_table = $2 AND "
      "kind = 'copy'",
      key);
  const auto &r = s.at(0);
  int64_t copied = to_int64(r.at(1).value_or("0"));
  int64_t zero_dates = to_int64(r.at(3).value_or("0"));
  Target t = target_of(run_id, c.source_table);
  const std::string target = target_name(t.relid, t.name);
  int64_t before = to_int64(r.at(5).value_or("0"));
  // Chunks copied at the same time each had the allowance left when they
  // started: the table as a whole must still be within max_rejects.
  int64_t rejected = to_int64(r.at(2).value_or("0"));
  if (opts.max_rejects >= 0 && rejected > opts.max_rejects)
    throw Error("54000",
                "table " + c.source_table + ": " + std::to_string(rejected) +
                    " rows rejected, more than max_rejects (" + std::to_string(opts.max_rejects) +
                    ")",
                "The rejected rows are in minibar_migrate.rejects.");
  // rows_before -1: row-level security hides rows from the caller (planned so).
  if (before >= 0) {
    int64_t after = count_target_rows(t.relid);
    if (after - before != copied)
      throw Error("XX000",
                  "target " + target + " gained " + std::to_string(after - before) + " rows, but " +
                      std::to_string(copied) + " were copied",
                  "Nothing was kept.");
  }
  if (r.at(4).value_or("f") == "t")
    notes.push_back({"load", c.source_table,
                     "target is partitioned, has triggers or generated columns, or row-level "
                     "security applies: rows went through INSERT, not the bulk path"});
  if (zero_dates > 0)
    notes.push_back(
        {"zero_dates", c.source_table, std::to_string(zero_dates) + " zero dates became NULL"});
  state_rows(
      "UPDATE minibar_migrate.run_tables SET rows_source = $3::pg_catalog.int8, rows_copied = "
      "$4::pg_catalog.int8, rows_rejected = $5::pg_catalog.int8, zero_dates = "
      "$6::pg_catalog.int8 WHERE run_id = $1::pg_catalog.int8 AND source_table = $2",
      {std::to_string(run_id), c.source_table, r.at(0).value_or("0"), std::to_string(copied),
       r.at(2).value_or("0"), std::to_string(zero_dates)});
}

void do_finish(int64_t run_id, const RunInfo &run, MigrationSource &src,
               std::vector<std::pair<std::string, Note>> &notes) {
  // A table's time: from its first copy to its last index or check.
  state_rows(
      "UPDATE minibar_migrate.run_tables rt SET done = true, seconds = coalesce((SELECT "
      "pg_catalog.date_part('epoch', max(t.finished_at) - min(t.started_at)) FROM "
      "minibar_migrate.run_tasks t WHERE t.run_id = rt.run_id AND t.source_table = "
      "rt.source_table AND t.kind IN ('copy', 'index', 'check') AND t.state = 'done'), 0) WHERE "
      "rt.run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
  if (run.kind == "database") {
    // The run's own tables: a sequence left exhausted or not touched is a note
    // naming its table and column.
    Rows tables = spi_rows(
        "SELECT source_table, target_relid::pg_catalog.regclass::pg_catalog.text, identity_column "
        "FROM minibar_migrate.run_tables "
        "WHERE run_id = $1::pg_catalog.int8 AND created AND identity_column IS NOT NULL",
        {std::to_string(run_id)});
    for (const auto &r : spi_rows(
             "SELECT t.source_table, s.note FROM minibar_migrate.reset_sequences($1) s JOIN "
             "minibar_migrate.run_tables t ON t.run_id = $2::pg_catalog.int8 AND t.target_relid "
             "= s.table_name WHERE s.note IS NOT NULL",
             {run.target_schema, std::to_string(run_id)}))
      notes.push_back(
          {r.at(0).value_or(""), {"sequence", r.at(0).value_or(""), r.at(1).value_or("")}});
    // Ids the source already handed out (rows deleted since) are not reused.
    // The counter is the source's text (MySQL's is unsigned, up to 2^64 - 1);
    // one past the sequence's maximum leaves the sequence exhausted, with a
    // note.
    std::map<std::string, std::string> next_ids = src.next_ids();
    for (const auto &t : tables) {
      const std::string table = t.at(0).value_or("");
      auto next = next_ids.find(table);
      if (next == next_ids.end()) continue;
      if (!parse_uint64(next->second) && !parse_int64(next->second)) {
        notes.push_back({table,
                         {"sequence", table,
                          "the source's next id is not a number (" + next->second.substr(0, 64) +
                              "): ignored"}});
        continue;
      }
      Rows set = spi_rows(
          "SELECT pg_catalog.setval(s::pg_catalog.regclass, LEAST($3::pg_catalog.numeric, "
          "q.seqmax)::pg_catalog.int8, $3::pg_catalog.numeric > q.seqmax), $3::pg_catalog.numeric "
          "> q.seqmax, q.seqmax "
          "FROM pg_catalog.pg_get_serial_sequence($1, $2) AS s JOIN pg_catalog.pg_sequence "
          "q ON q.seqrelid = s::pg_catalog.regclass WHERE $3::pg_catalog.numeric > "
          "coalesce(pg_catalog.pg_sequence_last_value(s::pg_catalog.regclass)::pg_catalog.numeric "
          "+ "
          "q.seqincrement, q.seqstart)",
          {t.at(1).value_or(""), t.at(2).value_or(""), next->second});
      if (!set.empty() && set[0].at(1).value_or("f") == "t")
        notes.push_back(
            {table,
             {"sequence", table,
              t.at(1).value_or("") + "." + t.at(2).value_or("") + ": the source's next id " +
                  next->second + " is beyond the sequence's maximum " + set[0].at(2).value_or("") +
                  ": the sequence is left exhausted (ids the source handed out are never reused; "
                  "inserts need explicit ids)"}});
    }
  }
  run_finish(run_id);
}

}  // namespace

TaskOutcome run_next_task(int64_t run_id, const RunInfo &run, const MigrateOptions &opts,
                          MigrationSource &src) {
  std::optional<Claimed> c = claim(run_id);
  if (!c) {
    Rows left = spi_rows(
        "SELECT count(*) FROM minibar_migrate.run_tasks WHERE run_id = $1::pg_catalog.int8 AND "
        "state = 'pending'",
        {std::to_string(run_id)});
    return left.at(0).at(0).value_or("0") == "0" ? TaskOutcome::AllDone : TaskOutcome::NoneReady;
  }
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Note> notes;
  std::vector<std::pair<std::string, Note>> finish_notes;
  std::optional<LoadCounts> counts;
  if (c->kind == "copy") {
    counts = do_copy(run_id, opts, src, *c);
  } else if (c->kind == "index") {
    PlannedIndex idx;
    idx.kind = c->index_kind;
    idx.name = c->name;
    idx.columns = detail_list(run_id, c->task_no, "columns");
    for (const std::string &o : detail_list(run_id, c->task_no, "order"))
      idx.descending.push_back(o == "desc");
    run_post_load(target_of(run_id, c->source_table).relid, idx, notes);
  } else if (c->kind == "check") {
    do_check(run_id, opts, *c, notes);
  } else if (c->kind == "foreign_key") {
    ForeignKeyStep step;
    step.label = c->label;
    Target table = target_of(run_id, c->source_table), ref = target_of(run_id, c->ref_table);
    step.table = table.relid;
    step.table_name = table.name;
    step.ref_table = ref.relid;
    step.ref_table_name = ref.name;
    step.fk.name = c->name;
    step.fk.ref_source_table = c->ref_table;
    step.fk.columns = detail_list(run_id, c->task_no, "columns");
    step.fk.ref_columns = detail_list(run_id, c->task_no, "ref_columns");
    step.fk.on_delete = c->on_delete;
    step.fk.on_update = c->on_update;
    apply_foreign_key(step, notes);
  } else if (c->kind == "analyze") {
    Target t = target_of(run_id, c->source_table);
    spi_exec("ANALYZE " + target_name(t.relid, t.name));
  } else if (c->kind == "finish") {
    do_finish(run_id, run, src, finish_notes);
  } else {
    throw Error("XX000", "unknown task kind " + c->kind);
  }
  for (const Note &n : notes) run_record_note(run_id, c->source_table, n);
  for (const auto &n : finish_notes) run_record_note(run_id, n.first, n.second);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  mark_done(run_id, *c, seconds, counts ? &*counts : nullptr);
  return TaskOutcome::Ran;
}

int recheck_committed_copies(int64_t run_id, MigrationSource &src) {
  const std::string id = std::to_string(run_id);
  int recopied = 0;
  Rows tables = spi_rows(
      "SELECT source_table, coalesce(chunk_key, ''), created FROM minibar_migrate.run_tables "
      "WHERE run_id = $1::pg_catalog.int8 ORDER BY table_no",
      {id});
  for (const auto &tr : tables) {
    check_for_interrupts();
    const std::string source_table = tr.at(0).value_or("");
    const std::string chunk_key = tr.at(1).value_or("");
    const bool created = tr.at(2).value_or("f") == "t";
    const std::vector<std::string> key{id, source_table};
    Rows done = spi_rows(
        "SELECT task_no, key_lo, key_hi, coalesce(rows_rejected, 0) FROM "
        "minibar_migrate.run_tasks WHERE run_id = $1::pg_catalog.int8 AND source_table = $2 AND "
        "kind = 'copy' AND state = 'done' ORDER BY task_no",
        key);
    if (done.empty()) continue;
    Target target = target_of(run_id, source_table);
    const std::string qualified = target_name(target.relid, target.name);
    Rows cols = spi_rows(
        "SELECT u.s, u.t FROM minibar_migrate.run_tables rt, ROWS FROM (pg_catalog.unnest("
        "rt.source_columns), pg_catalog.unnest(rt.target_columns)) WITH ORDINALITY AS u(s, t, n) "
        "WHERE rt.run_id = $1::pg_catalog.int8 AND rt.source_table = $2 ORDER BY u.n",
        key);
    const std::vector<std::string> source_columns = column(cols, 0);
    const std::vector<std::string> target_columns = column(cols, 1);
    std::string key_target;
    for (size_t i = 0; i < source_columns.size(); i++)
      if (!chunk_key.empty() && source_columns[i] == chunk_key) key_target = target_columns[i];
    std::vector<KeyRange> ranges;
    std::vector<std::string> task_nos;
    for (const auto &d : done) {
      // A chunk with rejected rows lacks them in the target by design: its
      // checksum cannot match, so it is noted instead of compared.
      if (d.at(3).value_or("0") != "0") {
        run_record_note(run_id, source_table,
                        {"resume", "task " + d.at(0).value_or(""),
                         "copied before the run was resumed with rejected rows: not compared "
                         "with the source again"});
        continue;
      }
      KeyRange r;
      if (!chunk_key.empty()) r = KeyRange{chunk_key, as_int(d.at(1)), as_int(d.at(2))};
      ranges.push_back(r);
      task_nos.push_back(d.at(0).value_or("0"));
    }
    std::vector<std::string> diff =
        ranges_differ(src, source_table, target.relid, source_columns, target_columns, ranges);
    for (size_t i = 0; i < diff.size(); i++) {
      if (diff[i].empty()) {
        // Equal again (an earlier resume may have found it changed).
        state_rows(
            "UPDATE minibar_migrate.run_tasks SET stale = NULL WHERE run_id = "
            "$1::pg_catalog.int8 AND task_no = $2::pg_catalog.int4 AND stale IS NOT NULL",
            {id, task_nos[i]});
        continue;
      }
      const std::string what = ranges[i].whole()
                                   ? std::string("the whole table")
                                   : "the chunk" + key_range_condition(ranges[i], src.dialect());
      if (!created || (!ranges[i].whole() && key_target.empty())) {
        // Rows of a table that existed before cannot be told from the run's:
        // the chunk stays as it was, and is stale (the run ends saying so).
        state_rows(
            "UPDATE minibar_migrate.run_tasks SET stale = $3 WHERE run_id = $1::pg_catalog.int8 "
            "AND task_no = $2::pg_catalog.int4 RETURNING 1",
            {id, task_nos[i], diff[i]});
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
      state_rows(
          "UPDATE minibar_migrate.run_tasks SET state = 'pending', rows_source = NULL, "
          "rows_copied = NULL, rows_rejected = NULL, zero_dates = NULL, general_path = NULL, "
          "started_at = NULL, finished_at = NULL, seconds = NULL, worker_pid = NULL WHERE run_id = "
          "$1::pg_catalog.int8 AND task_no = $2::pg_catalog.int4",
          {id, task_nos[i]});
      state_rows(
          "UPDATE minibar_migrate.run_tasks SET state = 'pending' WHERE run_id = "
          "$1::pg_catalog.int8 AND source_table = $2 AND kind IN ('check', 'analyze')",
          key);
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
