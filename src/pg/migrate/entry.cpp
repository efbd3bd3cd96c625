// SQL entry points: minibar_migrate.migrate_table and migrate_database.
// Arguments and names are resolved with the caller's search_path; everything
// after runs with search_path = pg_catalog, pg_temp and schema-qualified SQL.
#include <map>
#include <set>

#include "core/convert/number_parse.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/migrate/run.hpp"
#include "pg/base/json_options.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

// PostgreSQL state of a call, set up before any C++ object exists.
struct CallSetup {
  SourceConfig config;
  const char *server;
  const char *options;
  int guc_level;
};

void notice_notes(const std::string &table, const std::vector<Note> &notes) {
  for (const Note &n : notes)
    pg_call([&] {
      ereport(NOTICE, (errmsg("%s: %s %s: %s", table.c_str(), n.kind.c_str(), n.object.c_str(),
                              n.detail.c_str())));
    });
}

}  // namespace

}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PG_FUNCTION_INFO_V1(minibar_migrate_table);
PGDLLEXPORT Datum minibar_migrate_table(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    // PostgreSQL calls first, before any C++ object with a destructor exists.
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("server and remote_table must not be NULL")));
    auto *s = static_cast<CallSetup *>(palloc0(sizeof(CallSetup)));
    s->server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *remote = text_to_cstring(PG_GETARG_TEXT_PP(1));
    const char *target = PG_ARGISNULL(2) ? nullptr : text_to_cstring(PG_GETARG_TEXT_PP(2));
    s->options = options_arg(fcinfo, 3);
    TupleDesc tupdesc;
    if (get_call_result_type(fcinfo, nullptr, &tupdesc) != TYPEFUNC_COMPOSITE)
      elog(ERROR, "migrate_table must return a composite type");
    tupdesc = BlessTupleDesc(tupdesc);
    source_config(get_foreign_server_oid(s->server, false), &s->config);
    // The target, with the caller's search_path: given (maybe qualified), or
    // the remote name (folded below) in the schema CREATE TABLE would use.
    const char *target_schema;
    const char *target_name = nullptr;
    if (target) {
      RangeVar *rv = makeRangeVarFromNameList(stringToQualifiedNameList(target));
      Oid existing = RangeVarGetRelid(rv, NoLock, true);
      Oid nsp =
          OidIsValid(existing) ? get_rel_namespace(existing) : RangeVarGetCreationNamespace(rv);
      target_schema = get_namespace_name(nsp);
      target_name = rv->relname;
    } else {
      target_schema =
          get_namespace_name(RangeVarGetCreationNamespace(makeRangeVar(nullptr, pstrdup("t"), -1)));
    }
    s->guc_level = spi_begin_pinned();

    // The result, read back from the run's record.
    Oid result_target = InvalidOid;
    int64_t copied = 0, rejected = 0;
    double seconds = 0;
    {
      MigrateOptions opts = parse_migrate_options(s->options, false);
      RunRequest req;
      req.kind = "table";
      req.server = s->server;
      req.target_schema = target_schema;
      req.remote_table = remote;
      req.target_table = target_name ? target_name : "";
      req.options_json = s->options;
      int64_t run_id = run_migration(req, opts, s->config);
      std::vector<RunTableResult> tables = run_table_results(run_id);
      if (tables.empty())
        throw Error(sqlstate::kInternal, "run " + std::to_string(run_id) + " recorded no table");
      result_target = tables[0].target_relid;
      copied = tables[0].rows_copied;
      rejected = tables[0].rows_rejected;
      seconds = tables[0].seconds;
      std::vector<Note> notes;
      for (RunNote &n : run_notes(run_id)) notes.push_back(std::move(n.note));
      notice_notes(tables[0].source_table, notes);
    }

    Datum result = 0;
    pg_call([&] {
      spi_end_pinned(s->guc_level);
      Datum values[4];
      bool nulls[4] = {false, false, false, false};
      values[0] = ObjectIdGetDatum(result_target);
      values[1] = Int64GetDatum(copied);
      values[2] = Int64GetDatum(rejected);
      values[3] = Float8GetDatum(seconds);
      result = HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
    });
    return result;
  });
}

PG_FUNCTION_INFO_V1(minibar_migrate_database);
PGDLLEXPORT Datum minibar_migrate_database(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("server and target_schema must not be NULL")));
    auto *s = static_cast<CallSetup *>(palloc0(sizeof(CallSetup)));
    s->server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *target_schema = pstrdup(NameStr(*PG_GETARG_NAME(1)));
    s->options = options_arg(fcinfo, 2);
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    source_config(get_foreign_server_oid(s->server, false), &s->config);
    s->guc_level = spi_begin_pinned();

    struct Row {
      std::string kind, source;
      Oid target = InvalidOid;
      bool has_counts = false;
      int64_t rows_source = 0, rows_copied = 0, rows_rejected = 0, zero_dates = 0;
      double seconds = 0;
      std::vector<std::string> notes;
    };
    std::vector<Row> out;
    int64_t run_id = 0;
    {
      MigrateOptions opts = parse_migrate_options(s->options, true);
      RunRequest req;
      req.kind = "database";
      req.server = s->server;
      req.target_schema = target_schema;
      req.options_json = s->options;
      run_id = run_migration(req, opts, s->config);
      // A row per table in load order, then what was not translated.
      std::map<std::string, std::vector<std::string>> notes_of;
      std::set<std::string> views;  // materialized views ("views": "materialize")
      std::vector<Row> others;
      for (const RunNote &n : run_notes(run_id)) {
        if (n.source_table) {
          if (n.note.kind == "view") views.insert(*n.source_table);
          notes_of[*n.source_table].push_back(n.note.kind + " " + n.note.object + ": " +
                                              n.note.detail);
        } else {
          Row row;
          row.kind = n.note.kind;
          row.source = n.note.object;
          row.notes.push_back(n.note.detail);
          others.push_back(std::move(row));
        }
      }
      for (const RunTableResult &t : run_table_results(run_id)) {
        Row row;
        row.kind = views.count(t.source_table) ? "view" : "table";
        row.source = t.source_table;
        row.target = t.target_relid;
        row.rows_source = t.rows_source;
        row.rows_copied = t.rows_copied;
        row.rows_rejected = t.rows_rejected;
        row.zero_dates = t.zero_dates;
        row.seconds = t.seconds;
        row.has_counts = true;
        row.notes = notes_of[row.source];
        out.push_back(std::move(row));
      }
      for (Row &r : others) out.push_back(std::move(r));
    }

    pg_call([&] {
      spi_end_pinned(s->guc_level);
      for (const Row &r : out) {
        Datum values[11];
        bool nulls[11] = {};
        values[0] = Int64GetDatum(run_id);
        values[1] = CStringGetTextDatum(r.kind.c_str());
        values[2] = CStringGetTextDatum(r.source.c_str());
        values[3] = ObjectIdGetDatum(r.target);
        nulls[3] = !OidIsValid(r.target);
        values[4] = Int64GetDatum(r.rows_source);
        values[5] = Int64GetDatum(r.rows_copied);
        values[6] = Int64GetDatum(r.rows_rejected);
        values[7] = Int64GetDatum(r.zero_dates);
        values[8] = Float8GetDatum(r.seconds);
        values[9] =
            Float8GetDatum(r.seconds > 0 ? static_cast<double>(r.rows_copied) / r.seconds : 0);
        for (int k = 4; k <= 9; k++) nulls[k] = !r.has_counts;
        Datum *elems = static_cast<Datum *>(palloc(sizeof(Datum) * (r.notes.size() + 1)));
        for (size_t k = 0; k < r.notes.size(); k++)
          elems[k] = CStringGetTextDatum(r.notes[k].c_str());
        values[10] = PointerGetDatum(construct_array(elems, static_cast<int>(r.notes.size()),
                                                     TEXTOID, -1, false, TYPALIGN_INT));
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      }
    });
    return static_cast<Datum>(0);
  });
}

PG_FUNCTION_INFO_V1(minibar_rollback);
PGDLLEXPORT Datum minibar_rollback(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("run_id must not be NULL")));
    const int64 run_id = PG_GETARG_INT64(0);
    const char *reason = PG_ARGISNULL(1) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(1));
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    const int guc_level = spi_begin_pinned();
    std::vector<std::pair<std::string, std::string>> out = rollback_run(run_id, reason, false);
    pg_call([&] {
      spi_end_pinned(guc_level);
      for (const auto &o : out) {
        Datum values[2] = {CStringGetTextDatum(o.first.c_str()),
                           CStringGetTextDatum(o.second.c_str())};
        bool nulls[2] = {false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      }
    });
    return static_cast<Datum>(0);
  });
}

}  // extern "C"
