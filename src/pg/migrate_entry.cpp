// SQL entry points: minibar_migrate.migrate_table and migrate_database.
// Arguments and names are resolved with the caller's search_path; everything
// after runs with search_path = pg_catalog, pg_temp and schema-qualified SQL.
#include <map>
#include <set>

#include "core/fk_order.hpp"
#include "core/quote.hpp"
#include "pg/guard.hpp"
#include "pg/migrate_engine.hpp"
#include "pg/spi_util.hpp"

namespace minibar::pg {

namespace {

// PostgreSQL state of a call, set up before any C++ object exists.
struct CallSetup {
  SourceConfig config;
  const char *server;
  const char *options;
  int guc_level;
};

// Connects SPI and pins a safe search_path (PostgreSQL calls).
void pg_begin(CallSetup *s) {
  if (SPI_connect() != SPI_OK_CONNECT) elog(ERROR, "SPI_connect failed");
  s->guc_level = NewGUCNestLevel();
  (void)set_config_option("search_path", "pg_catalog, pg_temp", PGC_USERSET, PGC_S_SESSION,
                          GUC_ACTION_SAVE, true, 0, false);
}

void pg_end(CallSetup *s) {
  AtEOXact_GUC(true, s->guc_level);
  SPI_finish();
}

const char *options_text(FunctionCallInfo fcinfo, int arg) {
  if (PG_ARGISNULL(arg)) return "{}";
  Jsonb *jb = PG_GETARG_JSONB_P(arg);
  return JsonbToCString(nullptr, &jb->root, VARSIZE(jb));
}

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
    s->options = options_text(fcinfo, 3);
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
    pg_begin(s);

    TableResult res;
    {
      MigrateOptions opts = parse_migrate_options(s->options, false);
      int64_t run_id = run_begin("table", s->server, target_schema, s->options);
      std::unique_ptr<MigrationSource> src = open_source(s->config);
      SourceSchema schema = src->read_schema({remote});
      const SourceTable &table = schema.tables.at(0);
      std::string name =
          target_name ? std::string(target_name)
                      : truncate_identifier(fold_identifier(table.name, opts.rules.keep_case));
      MigrateContext ctx;
      ctx.source = src.get();
      ctx.options = &opts;
      ctx.run_id = run_id;
      Oid existing = find_table(target_schema, name);
      if (OidIsValid(existing)) {
        res = migrate_into_existing(ctx, table, existing);
      } else {
        TablePlan plan = plan_table(table, schema.dialect, opts.rules, target_schema, name);
        for (const SourceForeignKey &fk : table.foreign_keys)
          plan.notes.push_back({"foreign_key", fk.name.empty() ? fk.ref_table : fk.name,
                                "references " + fk.ref_table +
                                    "; migrate_table does not create foreign keys "
                                    "(migrate_database does)"});
        res = migrate_new_table(ctx, table, plan);
      }
      run_record_table(run_id, res);
      for (const Note &n : res.notes) run_record_note(run_id, table.name, n);
      run_finish(run_id);
      notice_notes(table.name, res.notes);
    }

    Datum result = 0;
    pg_call([&] {
      pg_end(s);
      Datum values[4];
      bool nulls[4] = {false, false, false, false};
      values[0] = ObjectIdGetDatum(res.target);
      values[1] = Int64GetDatum(res.rows_copied);
      values[2] = Int64GetDatum(res.rows_rejected);
      values[3] = Float8GetDatum(res.seconds);
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
    s->options = options_text(fcinfo, 2);
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    source_config(get_foreign_server_oid(s->server, false), &s->config);
    pg_begin(s);

    struct Row {
      std::string kind, source;
      Oid target = InvalidOid;
      bool has_counts = false;
      TableResult t;
      std::vector<std::string> notes;
    };
    std::vector<Row> out;
    int64_t run_id = 0;
    {
      MigrateOptions opts = parse_migrate_options(s->options, true);
      if (spi_rows("SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1", {target_schema})
              .empty())
        spi_exec("CREATE SCHEMA " + pg_quote_ident(target_schema));
      run_id = run_begin("database", s->server, target_schema, s->options);
      std::unique_ptr<MigrationSource> src = open_source(s->config);
      SourceSchema schema = src->read_schema(opts.tables);
      std::set<std::string> excluded(opts.exclude.begin(), opts.exclude.end());
      std::vector<SourceTable> kept;
      for (SourceTable &t : schema.tables)
        if (!excluded.count(t.name)) kept.push_back(std::move(t));
      schema.tables = std::move(kept);

      // Plan every table first: name collisions are errors before anything is created.
      std::vector<TablePlan> plans;
      std::map<std::string, std::string> target_of;  // target name -> source table
      for (const SourceTable &t : schema.tables) {
        plans.push_back(plan_table(t, schema.dialect, opts.rules, target_schema));
        const std::string &name = plans.back().name;
        auto [it, fresh] = target_of.emplace(name, t.name);
        if (!fresh)
          throw Error("42P07",
                      "source tables \"" + it->second + "\" and \"" + t.name +
                          "\" both become table \"" + name + "\" in PostgreSQL",
                      "Nothing was created.",
                      "Keep the case of identifiers with {\"keep_case\": true}, or leave one out "
                      "with {\"exclude\": [...]}.");
      }
      std::map<std::string, const TablePlan *> plan_of;
      std::map<std::string, std::string> qualified;
      for (size_t i = 0; i < plans.size(); i++) {
        plan_of[schema.tables[i].name] = &plans[i];
        qualified[schema.tables[i].name] = plans[i].qualified();
      }
      for (size_t i = 0; i < plans.size(); i++)
        plan_foreign_keys(plans[i], schema.tables[i], plan_of);

      MigrateContext ctx;
      ctx.source = src.get();
      ctx.options = &opts;
      ctx.run_id = run_id;
      std::vector<TableResult> results(plans.size());
      std::vector<bool> created(plans.size(), false);
      const std::vector<size_t> order = foreign_key_order(schema);
      for (size_t i : order) {
        Oid existing = find_table(target_schema, plans[i].name);
        if (OidIsValid(existing)) {
          results[i] = migrate_into_existing(ctx, schema.tables[i], existing);
        } else {
          results[i] = migrate_new_table(ctx, schema.tables[i], plans[i]);
          created[i] = true;
        }
      }
      // Foreign keys once every table holds its rows (cycles and self-references too).
      for (size_t i = 0; i < plans.size(); i++)
        if (created[i]) add_foreign_keys(plans[i], qualified, results[i].notes);
      spi_exec("SELECT count(*) FROM minibar_migrate.reset_sequences(" +
               pg_quote_literal(target_schema) + ")");
      // Ids the source already handed out (rows deleted since) are not reused.
      std::map<std::string, int64_t> next_ids = src->next_ids();
      for (size_t i = 0; i < plans.size(); i++) {
        auto next = next_ids.find(schema.tables[i].name);
        if (!created[i] || next == next_ids.end()) continue;
        for (const PlannedColumn &c : plans[i].columns)
          if (c.identity)
            spi_rows(
                "SELECT pg_catalog.setval(s::pg_catalog.regclass, $3::pg_catalog.int8, false) "
                "FROM pg_catalog.pg_get_serial_sequence($1, $2) AS s JOIN pg_catalog.pg_sequence "
                "q ON q.seqrelid = s::pg_catalog.regclass WHERE $3::pg_catalog.int8 > "
                "coalesce(pg_catalog.pg_sequence_last_value(s::pg_catalog.regclass) + "
                "q.seqincrement, q.seqstart)",
                {plans[i].qualified(), c.name, std::to_string(next->second)});
      }
      if (opts.analyze)
        for (const TableResult &r : results) spi_exec("ANALYZE " + r.target_name);

      for (size_t i : order) {
        const TableResult &r = results[i];
        run_record_table(run_id, r);
        for (const Note &n : r.notes) run_record_note(run_id, r.source_table, n);
        Row row;
        row.kind = "table";
        row.source = r.source_table;
        row.target = r.target;
        row.has_counts = true;
        row.t = r;
        for (const Note &n : r.notes)
          row.notes.push_back(n.kind + " " + n.object + ": " + n.detail);
        out.push_back(std::move(row));
      }
      for (const SourceObject &o : schema.others) {
        run_record_note(run_id, "", {o.kind, o.name, o.detail});
        Row row;
        row.kind = o.kind;
        row.source = o.name;
        row.notes.push_back(o.detail);
        out.push_back(std::move(row));
      }
      run_finish(run_id);
    }

    pg_call([&] {
      pg_end(s);
      for (const Row &r : out) {
        Datum values[11];
        bool nulls[11] = {};
        values[0] = Int64GetDatum(run_id);
        values[1] = CStringGetTextDatum(r.kind.c_str());
        values[2] = CStringGetTextDatum(r.source.c_str());
        values[3] = ObjectIdGetDatum(r.target);
        nulls[3] = !OidIsValid(r.target);
        values[4] = Int64GetDatum(r.t.rows_source);
        values[5] = Int64GetDatum(r.t.rows_copied);
        values[6] = Int64GetDatum(r.t.rows_rejected);
        values[7] = Int64GetDatum(r.t.zero_dates);
        values[8] = Float8GetDatum(r.t.seconds);
        values[9] = Float8GetDatum(
            r.t.seconds > 0 ? static_cast<double>(r.t.rows_copied) / r.t.seconds : 0);
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

}  // extern "C"
