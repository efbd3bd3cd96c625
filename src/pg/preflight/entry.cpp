// preflight(server, options): the SQL entry point. Reads the source's
// definition, plans the checks (core/preflight), runs each query on the
// source and returns a row per finding: the fixed ones, every query whose
// count is not 0, and the size of every table. A check whose query fails is
// itself a finding (check_failed) and the others go on; a cancel stops it.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "core/convert/number_parse.hpp"
#include "core/error.hpp"
#include "core/convert/cell_convert.hpp"
#include "core/plan/migrate_plan.hpp"
#include "core/plan/preflight.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/json_options.hpp"
#include "pg/remote/source.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {
namespace {

constexpr OptionsKind kPreflight{"preflight", "docs/preflight.md"};

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

// The kinds convert_cell decides itself whose failures no SQL check counts
// (integers, reals, text, JSON and zero dates have their own checks).
std::optional<TargetKind> checked_kind(const std::string &pg_type) {
  if (pg_type == "boolean") return TargetKind::Bool;
  if (pg_type == "date") return TargetKind::Date;
  if (pg_type == "time without time zone") return TargetKind::Time;
  if (pg_type == "timestamp with time zone") return TargetKind::TimestampTz;
  if (pg_type == "timestamp without time zone") return TargetKind::Timestamp;
  return std::nullopt;
}

// Text the zero_date check already counts (month or day 00).
bool zero_date_text(std::string_view s) {
  if (s.substr(0, 10) == "0000-00-00") return true;
  return s.size() >= 10 && s[4] == '-' && (s.substr(5, 2) == "00" || s.substr(8, 2) == "00");
}

// SQLite: the table as migrate_* plans it (types chosen from the stored
// values, with their notes), and every value of its boolean and date/time
// columns through the copy path's own converter (convert_cell): what it
// rejects is an error finding with the converter's reason.
void sqlite_converter_findings(MigrationSource &src, const SourceTable &t,
                               std::vector<PreflightFinding> &out) {
  MigrateRules rules;
  rules.keep_case = true;  // names do not matter here; no fold collisions
  TablePlan plan = plan_table(t, Dialect::Sqlite, rules, "preflight");
  for (const Note &n : plan.notes)
    if (n.kind == "type")
      out.push_back({"info", t.name, n.object, "type_from_values", -1, "", n.detail});
  struct Col {
    std::string name;
    TargetKind kind;
    int64_t count = 0;
    std::string example, reason;
  };
  std::vector<Col> cols;
  for (const PlannedColumn &c : plan.columns)
    if (auto k = checked_kind(c.type)) cols.push_back({c.source_name, *k});
  if (cols.empty()) return;
  const SourceIndex *pk = t.primary_key();
  const std::string key = pk && pk->columns.size() == 1 ? pk->columns[0].column : "rowid";
  std::string sql = "SELECT " + sqlite_quote_ident(key);
  for (const Col &c : cols) sql += ", " + sqlite_quote_ident(c.name);
  sql += " FROM " + sqlite_quote_ident(t.name);
  PreflightFinding failed{"warning", t.name, "", "check_failed", -1, "", ""};
  try {
    src.scan_cells(sql, [&](const Cell *cells, int n) {
      for (int i = 1; i < n; i++) {
        const Cell &cell = cells[i];
        Col &c = cols[static_cast<size_t>(i - 1)];
        if (cell.storage == StorageClass::Text && zero_date_text(cell.bytes)) continue;
        CellScratch scratch;
        Converted v = convert_cell(cell, c.kind, scratch);
        if (v.kind != Converted::Kind::Error) continue;
        if (c.count++ == 0) {
          const Cell &k = cells[0];
          c.example = key + "=" +
                      (k.storage == StorageClass::Integer ? std::to_string(k.i)
                                                          : std::string(k.bytes.substr(0, 64)));
          c.reason = v.reason ? v.reason : "";
        }
      }
    });
  } catch (const Error &e) {
    if (e.sqlstate() == sqlstate::kQueryCanceled) throw;
    failed.advice = std::string("the check invalid_value could not run: ") + e.what();
    out.push_back(std::move(failed));
    return;
  }
  for (const Col &c : cols)
    if (c.count > 0)
      out.push_back({"error", t.name, c.name, "invalid_value", c.count, c.example,
                     "values the migration's converter refuses (first: " + c.reason +
                         "): these rows will be rejected; fix them in the source or map the "
                         "column to text"});
}

std::vector<PreflightFinding> run_preflight(MigrationSource &src, const std::string &options) {
  std::vector<std::string> tables, exclude;
  for (const JsonOption &o : json_options(options, kPreflight)) {
    if (o.key != "tables" && o.key != "exclude") bad_option(kPreflight, o.key, "unknown option");
    (o.key == "tables" ? tables : exclude) = option_names(kPreflight, options, o);
  }
  SourceSchema schema = read_selected_schema(src, kPreflight, tables, exclude, nullptr);

  PreflightPlan plan = plan_preflight(schema);
  std::vector<PreflightFinding> out = plan.fixed;
  if (schema.dialect == Dialect::Sqlite) {
    measure_sqlite_values(src, schema);
    for (const SourceTable &t : schema.tables) sqlite_converter_findings(src, t, out);
  }
  for (const PreflightQuery &q : plan.queries) {
    check_for_interrupts();
    PreflightFinding f = q.finding;
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
