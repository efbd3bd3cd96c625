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

#include "core/error.hpp"
#include "core/preflight.hpp"
#include "pg/guard.hpp"
#include "pg/json_options.hpp"
#include "pg/migrate_source.hpp"
#include "pg/spi_util.hpp"

namespace minibar::pg {
namespace {

constexpr OptionsKind kPreflight{"preflight", "docs/preflight.md"};

struct PreflightCall {
  SourceConfig config;
  int guc_level;
};

// PostgreSQL calls: one result row.
void pg_put(ReturnSetInfo *rsinfo, const PreflightFinding *f) {
  Datum v[7];
  bool n[7] = {false, false, false, false, false, false, false};
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
  tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
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
  for (const PreflightQuery &q : plan.queries) {
    check_for_interrupts();
    PreflightFinding f = q.finding;
    try {
      auto rows = src.query(q.sql);
      f.count = rows.empty() || rows[0].empty() || !rows[0][0] ? 0 : std::stoll(*rows[0][0]);
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
