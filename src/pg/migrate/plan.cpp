// plan_run: what a run will do, decided and recorded before any row moves.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>

#include "core/plan/chunk_plan.hpp"
#include "core/schema/fk_order.hpp"
#include "core/convert/json_text.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/json_options.hpp"
#include "pg/base/log.hpp"
#include "pg/migrate/plan.hpp"
#include "pg/migrate/rerun.hpp"
#include "pg/base/spi.hpp"
#include "pg/base/target_check.hpp"

namespace minibar::pg {

namespace {

// Phases of run_tasks (see the extension script). The count check runs
// beside the index builds: both only read the loaded table.
constexpr int kCopy = 1, kIndex = 2, kCheck = 2, kForeignKey = 100, kAnalyze = 1000000,
              kFinish = 2000000;
// At most this many copy chunks per table (each is a remote query and a commit).
constexpr int kMaxChunks = 10000;

// Task list under construction.
struct Tasks {
  int64_t run_id;
  int next = 1;
  void add(RunTask t) {
    t.task_no = next++;
    run_add_task(run_id, t);
  }
};

// A JSON object of the plan entry a task carries (run_tasks.detail): only
// names and keywords, as data.
struct JsonObject {
  std::string j = "{";
  void key(const char *k) {
    if (j.size() > 1) j += ", ";
    json_append_string(j, k);
    j += ": ";
  }
  JsonObject &field(const char *k, const std::string &v) {
    key(k);
    json_append_string(j, v);
    return *this;
  }
  JsonObject &list(const char *k, const std::vector<std::string> &items) {
    key(k);
    j += "[";
    for (size_t i = 0; i < items.size(); i++) {
      if (i) j += ", ";
      json_append_string(j, items[i]);
    }
    j += "]";
    return *this;
  }
  std::string done() const { return j + "}"; }
};

std::string index_detail(const PlannedIndex &idx) {
  std::vector<std::string> order;
  for (bool d : idx.descending) order.push_back(d ? "desc" : "asc");
  return JsonObject()
      .field("kind", idx.kind)
      .field("name", idx.name)
      .list("columns", idx.columns)
      .list("order", order)
      .done();
}

std::string fk_detail(const std::string &label, const std::string &source_table,
                      const PlannedForeignKey &fk) {
  return JsonObject()
      .field("label", label)
      .field("name", fk.name)
      .field("table", source_table)
      .field("ref_table", fk.ref_source_table)
      .list("columns", fk.columns)
      .list("ref_columns", fk.ref_columns)
      .field("on_delete", fk.on_delete)
      .field("on_update", fk.on_update)
      .done();
}

}  // namespace

namespace {

// The source position the copy starts from: the snapshot the planner reads,
// which every worker's snapshot matches unless req.position_note says why not.
void record_source_position(int64_t run_id, const RunRequest &req, MigrationSource &src) {
  std::string why = req.position_note;
  std::optional<MigrationSource::Position> p;
  if (why.empty()) p = src.snapshot_position(&why);
  run_set_source_position(run_id, p, why);
}

}  // namespace

int64_t plan_run(const RunRequest &req, const MigrateOptions &opts, MigrationSource &src,
                 bool chunked) {
  const bool database = req.kind == "database";
  // The source's definition first: an option naming a table or column the
  // source does not have is an error before anything is created.
  static constexpr OptionsKind kMigration{"migration",
                                          "the options of migrate_database in the documentation "
                                          "page \"Migrating a database\" (migration.md)"};
  SourceSchema schema =
      database ? read_selected_schema(src, kMigration, opts.tables, opts.exclude, &opts.rules,
                                      opts.views)
               : read_selected_schema(src, kMigration, {req.remote_table}, {}, &opts.rules, true);
  measure_sqlite_values(src, schema, &opts.rules);
  bool schema_created = false;
  if (database &&
      spi_rows("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {req.target_schema})
          .empty()) {
    spi_exec("CREATE SCHEMA " + pg_quote_ident(req.target_schema));
    schema_created = true;
  }
  // A schema that existed must be one the caller trusts (its owner could
  // swap the tables the run loads); each existing table is checked below.
  Oid target_nsp = InvalidOid;
  pg_call([&] { target_nsp = get_namespace_oid(req.target_schema.c_str(), true); });
  if (OidIsValid(target_nsp))
    check_target(target_nsp, InvalidOid, schema_created, opts.trust_target, NoLock);
  const int64_t run_id = run_begin(req.kind, req.server, req.target_schema, req.options_json,
                                   req.workers, req.resumable);
  if (schema_created)
    run_record_object(run_id, "schema", find_schema(req.target_schema),
                      pg_quote_ident(req.target_schema));
  record_source_position(run_id, req, src);
  const std::string run_tag = "run " + std::to_string(run_id) + ": ";
  log_phase(run_tag + "plan: " + std::to_string(schema.tables.size()) + " table(s) of server " +
            log_name(req.server) + " into schema " + log_name(req.target_schema));

  // Plan every table first: name collisions are errors before anything is created.
  std::vector<TablePlan> plans;
  std::map<std::string, std::string> target_of;  // target name -> source table
  for (const SourceTable &t : schema.tables) {
    std::string name = req.target_table;
    if (!database && name.empty())
      name = truncate_identifier(fold_identifier(t.name, opts.rules.keep_case));
    plans.push_back(plan_table(t, schema.dialect, opts.rules, req.target_schema, name));
    auto [it, fresh] = target_of.emplace(plans.back().name, t.name);
    if (!fresh)
      throw Error(sqlstate::kDuplicateTable,
                  "source tables \"" + it->second + "\" and \"" + t.name +
                      "\" both become table \"" + plans.back().name + "\" in PostgreSQL",
                  "Nothing was created.",
                  "Keep the case of identifiers with {\"keep_case\": true}, or leave one out "
                  "with {\"exclude\": [...]}.");
  }
  std::map<std::string, const TablePlan *> plan_of;
  for (size_t i = 0; i < plans.size(); i++) plan_of[schema.tables[i].name] = &plans[i];
  if (database)
    for (size_t i = 0; i < plans.size(); i++)
      plan_foreign_keys(plans[i], schema.tables[i], plan_of);

  // Existing targets: checked (and emptied or dropped if asked) before anything is created.
  std::map<std::string, std::vector<Note>> rerun_notes = prepare_existing_targets(
      schema.tables, plans, opts, target_nsp, schema_created, chunked, req.resumable);

  MigrateContext ctx;
  ctx.source = &src;
  ctx.options = &opts;
  ctx.run_id = run_id;
  Tasks tasks{run_id};
  std::vector<bool> created(plans.size(), false);
  const std::vector<size_t> order = foreign_key_order(schema);
  int table_no = 0;
  for (size_t i : order) {
    const SourceTable &table = schema.tables[i];
    TablePlan &plan = plans[i];
    RunTable rt;
    rt.source_table = table.name;
    rt.table_no = table_no++;
    // A view's rows are known only by running it (once, for the copy).
    rt.rows_estimated = table.view                  ? -1
                        : table.estimated_rows >= 0 ? table.estimated_rows
                                                    : src.estimate_rows(table.name);
    std::vector<Note> notes;
    Oid existing = find_table(plan.schema, plan.name);
    if (OidIsValid(existing)) {
      // Before anything reads it: not even count(*) may run another role's policies.
      check_target(target_nsp, existing, schema_created, opts.trust_target, AccessShareLock);
      ColumnMatch m = match_existing(table, existing, opts.ignore_missing, opts.ignore_extra);
      // Workers commit chunk by chunk: rows loaded into a table that existed
      // before cannot be told apart from its own rows if the run fails, so a
      // run that is undone on failure must not load them in pieces.
      if (chunked && !req.resumable)
        throw Error(sqlstate::kFeatureNotSupported,
                    "table " + plan.qualified() +
                        " exists: a run with background workers could not undo what it loads into "
                        "it if it failed",
                    "Background workers commit each chunk on its own; a failed run without "
                    "\"resume\" is rolled back, and the rows it committed into a table that "
                    "existed before would stay. Nothing was loaded.",
                    "Use {\"workers\": 0} (one transaction: a failure leaves the table as it "
                    "was), or add {\"resume\": true} (a failure keeps the committed chunks and "
                    "says so; resume continues them, rollback() counts the rows that stay).");
      rt.target_table = m.qualified;
      rt.target_relid = existing;
      rt.source_columns = m.source_columns;
      rt.target_columns = m.target_columns;
      notes = m.notes;
      if (rls_applies(existing)) {
        // The caller sees (and counts) only what the policies show it.
        rt.rows_before = -1;
        notes.push_back({"row_security", m.qualified,
                         "row-level security applies to the caller: rows go through INSERT and "
                         "its policies (a row they refuse is rejected), and the target's rows are "
                         "not counted before and after the load"});
      } else {
        rt.rows_before = count_target_rows(existing);
      }
    } else {
      std::vector<std::pair<Oid, std::string>> types;
      Oid relid = create_target(ctx, table, plan, types);
      log_phase(run_tag + "create table " + log_name(plan.qualified()) + " for " +
                log_name(table.name) + ", " + std::to_string(plan.columns.size()) + " column(s)");
      for (const auto &t : types) run_record_object(run_id, "type", t.first, t.second);
      run_record_object(run_id, "table", relid, plan.qualified());
      created[i] = true;
      rt.created = true;
      rt.target_table = plan.qualified();
      rt.target_relid = relid;
      for (const PlannedColumn &c : plan.columns) {
        rt.source_columns.push_back(c.source_name);
        rt.target_columns.push_back(c.name);
        if (c.identity && rt.identity_column.empty()) rt.identity_column = c.name;
      }
      if (!database)
        for (const SourceForeignKey &fk : table.foreign_keys)
          plan.notes.push_back({"foreign_key", fk.name.empty() ? fk.ref_table : fk.name,
                                "references " + fk.ref_table +
                                    "; migrate_table does not create foreign keys "
                                    "(migrate_database does)"});
      notes = plan.notes;
    }
    if (const SourceIndex *pk = table.primary_key())
      for (const IndexColumn &ic : pk->columns) rt.key_columns.push_back(ic.column);

    // Copy steps: key-range chunks of a big table with an integer key, else the whole table.
    std::vector<KeyRange> ranges{KeyRange{}};
    std::string key = chunked ? chunk_key_column(table, schema.dialect) : "";
    bool key_fed = false;
    for (const std::string &c : rt.source_columns) key_fed = key_fed || c == key;
    if (!key.empty() && key_fed) {
      // Statistics that say "small" are checked by counting (up to a few
      // chunks' worth): a table loaded just before the run must still split.
      int64_t rows = rt.rows_estimated;
      if (rows <= opts.chunk_size) {
        const int64_t cap = opts.chunk_size > INT64_MAX / 4 ? INT64_MAX : 4 * opts.chunk_size + 1;
        if (std::optional<int64_t> n = src.count_rows_up_to(table.name, cap)) {
          rt.rows_estimated = std::max(rt.rows_estimated, *n);
          rows = *n >= cap ? -1 : *n;  // -1: at least cap, as many as the key span allows
        }
      }
      if (rows < 0 || rows > opts.chunk_size)
        if (auto bounds = src.key_bounds(table.name, key)) {
          ranges = split_key_range(
              key, bounds->first, bounds->second,
              chunk_count(rows, bounds->first, bounds->second, opts.chunk_size, kMaxChunks));
          if (ranges.size() > 1) rt.chunk_key = key;
        }
    }
    if (rt.chunk_key.empty()) ranges = {KeyRange{}};
    rt.chunks = static_cast<int>(ranges.size());
    if (chunked && rt.chunk_key.empty() && rt.rows_estimated > opts.chunk_size)
      notes.push_back({"chunks", table.name,
                       "no integer key to split on: copied whole, and a resumed run copies it "
                       "again from the start"});
    if (table.view)
      notes.insert(notes.begin(),
                   Note{"view", table.name,
                        "materialized: a snapshot of the rows the view returned, in one copy; "
                        "the table has no keys, indexes, NOT NULL or defaults"});
    for (const Note &n : rerun_notes[table.name]) notes.push_back(n);
    if (opts.schema_only) {
      ranges.clear();
      rt.chunks = 0;
      notes.push_back({"schema_only", table.name, "no rows copied (schema_only)"});
    }
    run_add_table(run_id, rt);
    for (const Note &n : notes) run_record_note(run_id, table.name, n);

    for (const KeyRange &r : ranges) {
      RunTask t;
      t.phase = kCopy;
      t.kind = "copy";
      t.source_table = table.name;
      t.key_lo = r.lo;
      t.key_hi = r.hi;
      t.rows_estimated = rt.rows_estimated < 0 ? -1 : rt.rows_estimated / rt.chunks;
      tasks.add(t);
    }
    if (created[i])
      for (const PlannedIndex &idx : plan.post_load) {
        RunTask t;
        t.phase = kIndex;
        t.kind = "index";
        t.source_table = table.name;
        t.detail_json = index_detail(idx);
        tasks.add(t);
      }
    RunTask check;
    check.phase = kCheck;
    check.kind = "check";
    check.source_table = table.name;
    tasks.add(check);
    if (database && opts.analyze) {
      RunTask t;
      t.phase = kAnalyze;
      t.kind = "analyze";
      t.source_table = table.name;
      tasks.add(t);
    }
  }
  // Foreign keys once every table holds its rows and keys (cycles and
  // self-references too), one at a time: two keys between the same tables
  // added at once could deadlock.
  int fk_phase = kForeignKey;
  for (size_t i = 0; i < plans.size(); i++) {
    if (!created[i]) continue;
    for (const PlannedForeignKey &fk : plans[i].foreign_keys) {
      if (!plan_of.count(fk.ref_source_table)) continue;
      RunTask t;
      t.phase = fk_phase++;
      t.kind = "foreign_key";
      t.source_table = schema.tables[i].name;
      t.table_scoped = false;
      t.detail_json = fk_detail(foreign_key_label(fk), schema.tables[i].name, fk);
      tasks.add(t);
    }
  }
  RunTask finish;
  finish.phase = kFinish;
  finish.kind = "finish";
  finish.table_scoped = false;
  tasks.add(finish);
  for (const SourceObject &o : schema.others)
    run_record_note(run_id, "", {o.kind, o.name, o.detail});
  log_phase(run_tag + "planned, " + std::to_string(tasks.next - 1) + " step(s)");
  return run_id;
}

}  // namespace minibar::pg
