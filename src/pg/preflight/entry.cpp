// preflight(server, options): the SQL entry point. Reads the source's
// definition, plans the checks (core/preflight), streams every table's values
// through the migration's own reader (value_findings), runs each query on the
// source and returns a row per finding: the fixed ones, the values the
// migration would reject or change, every query whose count is not 0, and the
// size of every table. A check that fails is itself a finding (check_failed)
// and the others go on; a cancel stops it.
#include <algorithm>
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/convert/number_parse.hpp"
#include "core/error.hpp"
#include "core/convert/cell_convert.hpp"
#include "core/plan/migrate_plan.hpp"
#include "core/plan/preflight.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/json_options.hpp"
#include "pg/base/log.hpp"
#include "pg/migrate/options.hpp"
#include "pg/remote/source.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {
namespace {

constexpr OptionsKind kPreflight{
    "preflight",
    "the options of preflight in the documentation page \"Before a move\" (preflight.md)"};

struct PreflightCall {
  SourceConfig config;
  int guc_level;
};

// PostgreSQL calls: one result row.
void pg_put(ReturnSetInfo *rsinfo, const PreflightFinding *f) {
  Datum v[8];
  bool n[8] = {false, false, false, false, false, false, false, false};
  auto text = [&](int i, const std::string &s) {
    n[i] = s.empty();
    if (!n[i])
      v[i] = PointerGetDatum(cstring_to_text_with_len(s.data(), static_cast<int>(s.size())));
  };
  text(0, f->severity);
  text(1, f->table);
  text(2, f->column);
  text(3, f->check);
  v[4] = Int64GetDatum(f->count);
  n[4] = f->count < 0;
  text(5, f->example);
  text(6, f->advice);
  text(7, preflight_action(*f));
  tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
}

// One column as the migration creates it: its planned type resolved, and
// for a MySQL ENUM (an enum type the migration creates, which does not exist
// yet) text checked against the labels afterwards.
struct ScanColumn {
  std::string source, type;
  bool not_null = false;
  std::vector<std::string> labels;
};

// A table's values through the migration's own reader: the table planned as
// migrate_database plans it (types chosen from SQLite's stored values, MySQL
// TIME as interval when it must), every row read with the same reader, the
// same converters (convert_mysql_cell / convert_cell), the same Datum
// building (numeric precision, jsonb input, bit lengths) and source_timezone
// handling, then NOT NULL and enum labels as the created table would check
// them. Each rejected row is counted under the column the migration would
// name in its reject; memory is one row (a context reset per row) and the
// tally, whose size does not grow with the rows.
// Returns the rows read (-1: the values could not be read).
int64_t value_findings(MigrationSource &src, const SourceTable &t, const MigrateRules &rules,
                       std::vector<PreflightFinding> &out) {
  TablePlan plan = plan_table(t, src.dialect(), rules, "preflight");
  if (src.dialect() == Dialect::Sqlite)
    for (const Note &n : plan.notes)
      if (n.kind == "type")
        out.push_back({"info", t.name, n.object, "type_from_values", -1, "", n.detail});
  std::vector<std::string> times;
  for (const PlannedColumn &c : plan.columns)
    if (c.mysql_time && !c.from_rule) times.push_back(c.source_name);
  std::set<std::string> beyond = src.times_beyond_day(t.name, times);
  std::vector<ScanColumn> cols;
  std::vector<std::string> names;
  int key = -1;
  const SourceIndex *pk = t.primary_key();
  for (const PlannedColumn &c : plan.columns) {
    ScanColumn sc;
    sc.source = c.source_name;
    sc.not_null = c.not_null;
    sc.labels = c.enum_labels;
    sc.type = !c.enum_labels.empty() ? "text" : beyond.count(c.source_name) ? "interval" : c.type;
    if (pk && pk->columns.size() == 1 && pk->columns[0].column == c.source_name)
      key = static_cast<int>(cols.size());
    names.push_back(c.source_name);
    cols.push_back(std::move(sc));
  }
  if (cols.empty()) return 0;
  const int n = static_cast<int>(cols.size());
  const std::string relname = t.name;
  MemoryContext outer = nullptr, table_cxt = nullptr, row_cxt = nullptr;
  ColumnTarget *targets = nullptr;
  Datum *values = nullptr;
  bool *nulls = nullptr;
  pg_call([&] {
    outer = CurrentMemoryContext;
    table_cxt = AllocSetContextCreate(outer, "minibar preflight table", ALLOCSET_DEFAULT_SIZES);
    row_cxt = AllocSetContextCreate(table_cxt, "minibar preflight row", ALLOCSET_DEFAULT_SIZES);
    MemoryContextSwitchTo(table_cxt);
    TupleDesc desc = CreateTemplateTupleDesc(n);
    for (int i = 0; i < n; i++) {
      Oid typid = InvalidOid;
      int32 typmod = -1;
      parseTypeString(cols[static_cast<size_t>(i)].type.c_str(), &typid, &typmod, false);
      TupleDescInitEntry(desc, static_cast<AttrNumber>(i + 1),
                         cols[static_cast<size_t>(i)].source.c_str(), typid, typmod, 0);
    }
    targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (n + 1)));
    for (int i = 0; i < n; i++) column_target_init(&targets[i], TupleDescAttr(desc, i));
    values = static_cast<Datum *>(palloc0(sizeof(Datum) * n));
    nulls = static_cast<bool *>(palloc0(sizeof(bool) * n));
    MemoryContextSwitchTo(outer);
  });
  ValueTally tally(t.name);
  int64_t read = 0;
  try {
    Subxact sx;
    sx.begin();
    std::unique_ptr<RowStream> rows = src.rows(t.name, names, targets, n, relname.c_str());
    auto example = [&](int column) {
      if (key >= 0) return cols[static_cast<size_t>(key)].source + "=" + rows->describe_value(key);
      return column >= 0 ? rows->describe_value(column) : std::string();
    };
    while (rows->next()) {
      if (++read % 1000 == 0) check_for_interrupts();
      pg_call([&] {
        MemoryContextReset(row_cxt);
        MemoryContextSwitchTo(row_cxt);
      });
      RowFault fault;
      bool ok = false;
      try {
        ok = rows->try_fill(values, nulls, &fault);
      } catch (const PgError &e) {
        ErrorData *ed = e.edata();
        if (!is_data_error(ed)) throw;
        fault.column = rows->current_column();
        fault.sqlstate = sqlstate_of(ed);
        fault.reason = ed->message ? ed->message : "error";
        sx.rollback();
        sx.begin();
      }
      pg_call([&] { MemoryContextSwitchTo(row_cxt); });
      std::string check;
      if (ok) {
        // As the created table checks the row: NOT NULL in column order
        // (a zero date the reader made NULL), and an enum's labels.
        for (int i = 0; i < n && ok; i++) {
          const ScanColumn &c = cols[static_cast<size_t>(i)];
          if (nulls[i] && c.not_null) {
            ok = false;
            fault.column = i;
            const bool zero = !rows->source_null(i);
            check = zero ? "zero_date" : "not_null";
            fault.reason = zero ? "a zero date, read as NULL, in a NOT NULL column"
                                : "null value in a NOT NULL column";
          } else if (!nulls[i] && !c.labels.empty()) {
            std::string label;
            pg_call([&] { label.assign(TextDatumGetCString(values[i])); });
            if (std::find(c.labels.begin(), c.labels.end(), label) == c.labels.end()) {
              ok = false;
              fault.column = i;
              fault.reason = "invalid input value for enum: \"" + label + "\"";
            }
          }
        }
      }
      if (ok) {
        for (int i = 0; i < n; i++)
          if (nulls[i] && !rows->source_null(i))
            tally.zero_date_as_null(cols[static_cast<size_t>(i)].source, example(i));
        continue;
      }
      const std::string column =
          fault.column >= 0 ? cols[static_cast<size_t>(fault.column)].source : std::string();
      if (check.empty())
        check = value_check_name(
            fault.sqlstate, fault.reason,
            fault.column >= 0 ? cols[static_cast<size_t>(fault.column)].type : std::string());
      tally.reject(column, check, fault.reason, example(fault.column));
    }
    rows.reset();
    pg_call([&] { MemoryContextSwitchTo(outer); });
    sx.commit();
  } catch (const Error &e) {
    if (e.sqlstate() == sqlstate::kQueryCanceled) throw;
    pg_call([&] {
      MemoryContextSwitchTo(outer);
      MemoryContextDelete(table_cxt);
    });
    out.push_back({"warning", t.name, "", "check_failed", -1, "",
                   std::string("the values could not be read: ") + e.what()});
    return -1;
  }
  pg_call([&] { MemoryContextDelete(table_cxt); });
  for (PreflightFinding &f : tally.findings()) out.push_back(std::move(f));
  return read;
}

// {"progress": true}: a NOTICE per table scanned, for the person at psql:
// "preflight: table 'orders' (1 of 5): 20000 row(s) read, 2 to be rejected,
// 0.3 s". Counts and the quoted, cut name only.
void table_notice(const SourceTable &t, size_t no, size_t of, int64_t read, int64_t rejects,
                  double seconds) {
  std::string text = "preflight: table " + log_name(t.name) + " (" + std::to_string(no) + " of " +
                     std::to_string(of) + "): ";
  text += read < 0 ? std::string("the values could not be read")
                   : std::to_string(read) + " row(s) read, " + std::to_string(rejects) +
                         " to be rejected";
  char secs[32];
  snprintf(secs, sizeof secs, ", %.1f s", seconds);
  text += secs;
  pg_call([&] { ereport(NOTICE, (errmsg("%s", text.c_str()))); });
}

std::vector<PreflightFinding> run_preflight(MigrationSource &src, const std::string &options) {
  std::vector<std::string> tables, exclude;
  bool has_rules = false, progress = true;
  for (const JsonOption &o : json_options(options, kPreflight)) {
    if (o.key == "types" || o.key == "columns") {
      has_rules = true;
      continue;
    }
    if (o.key == "progress") {
      progress = option_bool(kPreflight, o);
      continue;
    }
    if (o.key != "tables" && o.key != "exclude") bad_option(kPreflight, o.key, "unknown option");
    (o.key == "tables" ? tables : exclude) = option_names(kPreflight, options, o);
  }
  // The migration's cast rules, read as migrate_database reads them.
  MigrateRules rules;
  if (has_rules) rules = parse_migrate_options(options, true).rules;
  rules.keep_case = true;  // names do not matter here; no fold collisions
  SourceSchema schema = read_selected_schema(src, kPreflight, tables, exclude, &rules);

  PreflightPlan plan = plan_preflight(schema);
  std::vector<PreflightFinding> out = plan.fixed;
  measure_sqlite_values(src, schema);
  size_t no = 0;
  for (const SourceTable &t : schema.tables) {
    check_for_interrupts();
    const auto t0 = std::chrono::steady_clock::now();
    const size_t before = out.size();
    const int64_t read = value_findings(src, t, rules, out);
    int64_t rejects = 0;
    for (size_t i = before; i < out.size(); i++)
      if (preflight_action(out[i]) == "reject" && out[i].count > 0) rejects += out[i].count;
    if (progress)
      table_notice(t, ++no, schema.tables.size(), read, rejects,
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  // Columns whose values the reader refused: a query finding that would say
  // the same values are copied (BIGINT UNSIGNED mapped to bigint by a cast
  // rule) gives way to what the migration does.
  std::set<std::pair<std::string, std::string>> refused;
  for (const PreflightFinding &f : out)
    if (preflight_action(f) == "reject") refused.insert({f.table, f.column});
  for (const PreflightQuery &q : plan.queries) {
    check_for_interrupts();
    PreflightFinding f = q.finding;
    if (preflight_action(f) == "copy" && refused.count({f.table, f.column})) continue;
    try {
      auto rows = src.query(q.sql);
      f.count = rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : to_int64(*rows[0][0]);
      if (rows.size() == 1 && rows[0].size() > 1 && rows[0][1]) f.example = *rows[0][1];
      if (f.count == 0 && !q.always) continue;
    } catch (const Error &e) {
      if (e.sqlstate() == sqlstate::kQueryCanceled) throw;
      f.severity = "warning";
      f.advice = "the check " + f.check + " could not run: " + e.what();
      f.check = "check_failed";
      f.count = -1;
    }
    out.push_back(std::move(f));
  }
  // Errors first, then warnings, then information; by table within each.
  auto rank = [](const std::string &s) { return s == "error" ? 0 : s == "warning" ? 1 : 2; };
  std::stable_sort(out.begin(), out.end(),
                   [&](const PreflightFinding &a, const PreflightFinding &b) {
                     if (rank(a.severity) != rank(b.severity))
                       return rank(a.severity) < rank(b.severity);
                     return a.table < b.table;
                   });
  return out;
}

}  // namespace
}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PG_FUNCTION_INFO_V1(minibar_preflight);
PGDLLEXPORT Datum minibar_preflight(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("server must not be NULL")));
    auto *c = static_cast<PreflightCall *>(palloc0(sizeof(PreflightCall)));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *options = options_arg(fcinfo, 1);
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    source_config(get_foreign_server_oid(server, false), &c->config);
    c->guc_level = spi_begin_pinned();
    {
      std::unique_ptr<MigrationSource> src = open_source(c->config);
      std::vector<PreflightFinding> rows = run_preflight(*src, options);
      for (const PreflightFinding &f : rows) pg_call([&] { pg_put(rsinfo, &f); });
    }
    pg_call([&] { spi_end_pinned(c->guc_level); });
    return static_cast<Datum>(0);
  });
}

}  // extern "C"
