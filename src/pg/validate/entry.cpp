// The SQL entry points of validation. validate_checksums(server,
// remote_table, target regclass, options): a row per chunk (kind 'chunk'),
// each followed by the rows found different in it (kind 'row').
// validate_database(server, target_schema, options): a row per table and per
// foreign key, recorded in minibar_migrate.validations. Both run with
// search_path = pg_catalog, pg_temp.
#include <memory>
#include <string>

#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/json_options.hpp"
#include "pg/base/spi.hpp"
#include "pg/validate/table.hpp"
#include "pg/validate/database.hpp"

namespace minibar::pg {
namespace {

struct ValidateCall {
  SourceConfig config;
  Oid target;
  int guc_level;
};

// PostgreSQL calls: one result row.
void pg_put(ReturnSetInfo *rsinfo, const char *kind, int chunk, const char *key_column,
            const KeyRange *range, const ChunkReport *rep, const char *row_key, const char *detail,
            const char *method) {
  Datum v[13];
  bool n[13];
  for (int i = 0; i < 13; i++) {
    v[i] = 0;
    n[i] = true;
  }
  v[0] = CStringGetTextDatum(kind);
  n[0] = false;
  v[1] = Int32GetDatum(chunk);
  n[1] = false;
  if (key_column && *key_column) {
    v[2] = CStringGetTextDatum(key_column);
    n[2] = false;
  }
  if (range && range->lo) {
    v[3] = Int64GetDatum(*range->lo);
    n[3] = false;
  }
  if (range && range->hi) {
    v[4] = Int64GetDatum(*range->hi);
    n[4] = false;
  }
  if (rep) {
    v[5] = Int64GetDatum(rep->source_rows);
    v[6] = Int64GetDatum(rep->target_rows);
    v[7] = CStringGetTextDatum(rep->source_hash.c_str());
    v[8] = CStringGetTextDatum(rep->target_hash.c_str());
    v[9] = BoolGetDatum(rep->ok());
    n[5] = n[6] = n[7] = n[8] = n[9] = false;
  }
  if (row_key) {
    v[10] = CStringGetTextDatum(row_key);
    n[10] = false;
  }
  if (detail && *detail) {
    v[11] = CStringGetTextDatum(detail);
    n[11] = false;
  }
  v[12] = CStringGetTextDatum(method);
  n[12] = false;
  tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
}

// PostgreSQL calls: one validate_database result row.
void pg_put_validation(ReturnSetInfo *rsinfo, int64 id, const ValidationRow *r) {
  Datum v[11];
  bool n[11] = {false, false, false, false, false, false, false, false, false, false, false};
  v[0] = Int64GetDatum(id);
  v[1] = CStringGetTextDatum(r->kind.c_str());
  v[2] = CStringGetTextDatum(r->source_table.c_str());
  v[3] = CStringGetTextDatum(r->target_table.c_str());
  n[3] = r->target_table.empty();
  v[4] = Int64GetDatum(r->source_rows);
  n[4] = r->source_rows < 0;
  v[5] = Int64GetDatum(r->target_rows);
  n[5] = r->target_rows < 0;
  v[6] = BoolGetDatum(r->ok);
  v[7] = Int32GetDatum(r->chunks_differing);
  v[8] = Int64GetDatum(r->rows_differing);
  v[9] = Float8GetDatum(r->seconds);
  v[10] = CStringGetTextDatum(r->detail.c_str());
  n[10] = r->detail.empty();
  tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
}

struct DatabaseCall {
  SourceConfig config;
  int guc_level;
};

}  // namespace
}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PG_FUNCTION_INFO_V1(minibar_validate_checksums);
PGDLLEXPORT Datum minibar_validate_checksums(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("server, remote_table and target must not be NULL")));
    auto *c = static_cast<ValidateCall *>(palloc0(sizeof(ValidateCall)));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *remote = text_to_cstring(PG_GETARG_TEXT_PP(1));
    c->target = PG_GETARG_OID(2);
    const char *options = options_arg(fcinfo, 3);
    if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(c->target)))
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                      errmsg("relation with OID %u does not exist", c->target)));
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    source_config(get_foreign_server_oid(server, false), &c->config);
    c->guc_level = spi_begin_pinned();
    {
      ValidateOptions opts = parse_validate_options(options, false);
      std::unique_ptr<MigrationSource> src = open_source(c->config);
      ValidateResult r = validate_table(*src, remote, c->target, opts);
      size_t next_row = 0;
      for (const ChunkReport &rep : r.chunks) {
        pg_call([&] {
          pg_put(rsinfo, "chunk", rep.chunk, rep.key_column.c_str(), &rep.range, &rep, nullptr,
                 rep.detail.c_str(), r.pushdown ? "pushdown" : "streamed");
        });
        for (; next_row < r.rows.size() && r.rows[next_row].chunk == rep.chunk; next_row++) {
          const RowDifference &d = r.rows[next_row];
          pg_call([&] {
            pg_put(rsinfo, "row", d.chunk, rep.key_column.c_str(), nullptr, nullptr, d.key.c_str(),
                   d.what.c_str(), r.pushdown ? "pushdown" : "streamed");
          });
        }
      }
    }
    pg_call([&] { spi_end_pinned(c->guc_level); });
    return static_cast<Datum>(0);
  });
}

PG_FUNCTION_INFO_V1(minibar_validate_database);
PGDLLEXPORT Datum minibar_validate_database(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("server and target_schema must not be NULL")));
    auto *c = static_cast<DatabaseCall *>(palloc0(sizeof(DatabaseCall)));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *schema = pstrdup(NameStr(*PG_GETARG_NAME(1)));
    const char *options = options_arg(fcinfo, 2);
    (void)get_namespace_oid(schema, false);  // 3F000 when it does not exist
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    source_config(get_foreign_server_oid(server, false), &c->config);
    c->guc_level = spi_begin_pinned();
    {
      ValidateOptions opts = parse_validate_options(options, true);
      std::unique_ptr<MigrationSource> src = open_source(c->config);
      std::vector<ValidationRow> rows;
      const int64_t id = validate_database(*src, server, schema, options, opts, rows);
      for (const ValidationRow &r : rows) pg_call([&] { pg_put_validation(rsinfo, id, &r); });
    }
    pg_call([&] { spi_end_pinned(c->guc_level); });
    return static_cast<Datum>(0);
  });
}

}  // extern "C"
