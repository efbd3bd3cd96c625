#include "core/convert/number_parse.hpp"
#include "pg/base/json_options.hpp"
#include "pg/validate/database.hpp"

#include <chrono>
#include <set>

#include "core/error.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/migrate/table_steps.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

std::string opt_int(int64_t v) {
  return v < 0 ? std::string() : std::to_string(v);
}

// Errors that end the whole call rather than one table's validation.
bool stops_everything(const ErrorData *ed) {
  const int category = ERRCODE_TO_CATEGORY(ed->sqlerrcode);
  return category == ERRCODE_TO_CATEGORY(ERRCODE_QUERY_CANCELED) ||
         category == ERRCODE_TO_CATEGORY(ERRCODE_ADMIN_SHUTDOWN) ||
         category == ERRCODE_TO_CATEGORY(ERRCODE_INSUFFICIENT_RESOURCES) ||
         category == ERRCODE_TO_CATEGORY(ERRCODE_PROGRAM_LIMIT_EXCEEDED);
}

ValidationRow validate_one(MigrationSource &src, const SourceTable &table,
                           const std::string &target_schema, const ValidateOptions &options) {
  ValidationRow row;
  row.kind = "table";
  row.source_table = table.name;
  const auto t0 = std::chrono::steady_clock::now();
  Oid relid = find_table(target_schema, table.name);
  if (!OidIsValid(relid)) relid = find_table(target_schema, ascii_lower(table.name));
  if (!OidIsValid(relid)) {
    row.detail =
        "no table " + pg_quote_ident(table.name) + " in schema " + pg_quote_ident(target_schema);
    return row;
  }
  Subxact sx;
  sx.begin();
  try {
    ValidateResult r = validate_table(src, table.name, relid, options);
    sx.commit();
    const char *qualified = nullptr;
    pg_call([&] {
      qualified = quote_qualified_identifier(get_namespace_name(get_rel_namespace(relid)),
                                             get_rel_name(relid));
    });
    row.target_table = qualified;  // C++ allocation outside the PG_TRY of pg_call
    row.source_rows = row.target_rows = 0;
    row.ok = true;
    int64_t unconvertible = 0;
    for (const ChunkReport &c : r.chunks) {
      row.source_rows += c.source_rows;
      row.target_rows += c.target_rows;
      unconvertible += c.unconvertible;
      if (!c.ok()) {
        row.ok = false;
        row.chunks_differing++;
        if (row.detail.empty() && !c.detail.empty())
          row.detail = "chunk " + std::to_string(c.chunk) + ": " + c.detail;
      }
    }
    row.rows_differing = r.rows_found;
    if (!row.ok)
      row.detail = std::to_string(row.chunks_differing) + " of " + std::to_string(r.chunks.size()) +
                   " chunk(s) differ" +
                   (unconvertible ? ", " + std::to_string(unconvertible) + " unconvertible row(s)"
                                  : std::string()) +
                   (row.detail.empty() ? std::string() : "; " + row.detail);
  } catch (const PgError &e) {
    ErrorData *ed = e.edata();
    if (sx.active()) sx.rollback();
    if (stops_everything(ed)) throw;
    row.detail = "not validated: " + sqlstate_of(ed) + " " + (ed->message ? ed->message : "error");
  } catch (const Error &e) {
    if (sx.active()) sx.rollback();
    if (e.sqlstate() == sqlstate::kQueryCanceled) throw;
    row.detail = "not validated: " + e.sqlstate() + " " + e.what();
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return row;
}

// Every foreign key of the schema's tables: its orphan count and one example.
std::vector<ValidationRow> check_foreign_keys(const std::string &target_schema) {
  std::vector<ValidationRow> out;
  auto keys = spi_rows(
      "SELECT c.conname::pg_catalog.text, c.conrelid::pg_catalog.regclass::pg_catalog.text, "
      "pg_catalog.format('SELECT count(*), (SELECT pg_catalog.json_build_object(%s)::pg_catalog."
      "text FROM %s x WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s) LIMIT 1) FROM %s x "
      "WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)', "
      "  pg_catalog.string_agg(pg_catalog.format('%L, x.%I', a.attname, a.attname), ', ' ORDER BY "
      "k.i), "
      "  c.conrelid::pg_catalog.regclass, "
      "  pg_catalog.string_agg(pg_catalog.format('x.%I IS NOT NULL', a.attname), ' AND ' ORDER BY "
      "k.i), "
      "  c.confrelid::pg_catalog.regclass, "
      "  pg_catalog.string_agg(pg_catalog.format('p.%I = x.%I', f.attname, a.attname), ' AND ' "
      "ORDER BY k.i), "
      "  c.conrelid::pg_catalog.regclass, "
      "  pg_catalog.string_agg(pg_catalog.format('x.%I IS NOT NULL', a.attname), ' AND ' ORDER BY "
      "k.i), "
      "  c.confrelid::pg_catalog.regclass, "
      "  pg_catalog.string_agg(pg_catalog.format('p.%I = x.%I', f.attname, a.attname), ' AND ' "
      "ORDER BY k.i)) "
      "FROM pg_catalog.pg_constraint c "
      "JOIN pg_catalog.pg_class r ON r.oid = c.conrelid "
      "CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(c.conkey), pg_catalog.unnest(c.confkey)) "
      "WITH ORDINALITY AS k(n, fn, i) "
      "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n "
      "JOIN pg_catalog.pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = k.fn "
      "WHERE c.contype = 'f' AND r.relnamespace = $1::pg_catalog.regnamespace "
      "GROUP BY c.oid, c.conname, c.conrelid, c.confrelid ORDER BY 2, 1",
      {pg_quote_ident(target_schema)});
  for (const auto &k : keys) {
    check_for_interrupts();
    const auto t0 = std::chrono::steady_clock::now();
    ValidationRow row;
    row.kind = "foreign_key";
    row.source_table = k.at(0).value_or("");  // the constraint's name
    row.target_table = k.at(1).value_or("");
    auto r = spi_rows(k.at(2).value_or("SELECT 0, NULL"));
    row.rows_differing = to_int64(r.at(0).at(0).value_or("0"));
    row.ok = row.rows_differing == 0;
    if (!row.ok) {
      row.example = r.at(0).at(1).value_or("");
      row.detail = std::to_string(row.rows_differing) + " orphan row(s), e.g. " + row.example;
    }
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    out.push_back(std::move(row));
  }
  return out;
}

// {"raise_on_mismatch": true}: the verdict as an ERROR, so that a scheduled
// job (pg_cron) is seen failing. Names the differing tables (the first ten)
// and the foreign keys with orphans.
[[noreturn]] void raise_mismatch(const std::string &id, const std::vector<ValidationRow> &rows) {
  std::string tables, keys;
  int ntables = 0, nkeys = 0;
  for (const ValidationRow &r : rows) {
    if (r.ok) continue;
    const bool fk = r.kind != "table";
    int &n = fk ? nkeys : ntables;
    std::string &list = fk ? keys : tables;
    if (++n <= 10)
      list += (list.empty() ? "" : ", ") +
              (fk ? r.source_table + " on " + r.target_table : r.source_table);
  }
  std::string msg = "validation " + id + " found differences: ";
  if (ntables)
    msg += std::to_string(ntables) + " table(s) differ (" + tables + (ntables > 10 ? ", ..." : "") +
           ")";
  if (nkeys)
    msg += std::string(ntables ? "; " : "") + std::to_string(nkeys) +
           " foreign key(s) have orphans (" + keys + (nkeys > 10 ? ", ..." : "") + ")";
  throw Error(sqlstate::kDataException, msg,
              "The call was asked to fail on a mismatch ({\"raise_on_mismatch\": true}); its "
              "rows in minibar_migrate.validations are rolled back with this error.",
              "Run minibar_migrate.validate_database without raise_on_mismatch to see and keep "
              "every table's verdict, then validate_checksums on a differing table for its rows.");
}

}  // namespace

int64_t validate_database(MigrationSource &src, const std::string &server,
                          const std::string &target_schema, const std::string &options_json,
                          const ValidateOptions &options, std::vector<ValidationRow> &out) {
  // Before anything is recorded: a bad "tables" / "exclude" is a 22023 error.
  static constexpr OptionsKind kValidation{
      "validation",
      "the options of validate_checksums in the documentation page \"Validation\" (validation.md)"};
  SourceSchema schema = read_selected_schema(src, kValidation, options.tables, options.exclude,
                                             nullptr, options.views);
  auto id_row = state_rows(
      "INSERT INTO minibar_migrate.validations (server, target_schema, options, run_by) VALUES "
      "($1, $2, $3::pg_catalog.jsonb, $4) RETURNING validation_id",
      {server, target_schema, options_json, current_role_name()});
  const std::string id = id_row.at(0).at(0).value_or("0");

  int tables = 0, differing = 0;
  for (const SourceTable &table : schema.tables) {
    check_for_interrupts();
    ValidationRow row = validate_one(src, table, target_schema, options);
    tables++;
    if (!row.ok) differing++;
    state_rows(
        "INSERT INTO minibar_migrate.validation_tables (validation_id, source_table, "
        "target_table, source_rows, target_rows, chunks_differing, rows_differing, ok, seconds, "
        "detail) VALUES ($1::pg_catalog.int8, $2, NULLIF($3, ''), NULLIF($4, '')::pg_catalog.int8, "
        "NULLIF($5, '')::pg_catalog.int8, $6::pg_catalog.int4, $7::pg_catalog.int8, "
        "$8::pg_catalog.bool, $9::pg_catalog.float8, NULLIF($10, '')) RETURNING 1",
        {id, row.source_table, row.target_table, opt_int(row.source_rows), opt_int(row.target_rows),
         std::to_string(row.chunks_differing), std::to_string(row.rows_differing),
         row.ok ? "true" : "false", std::to_string(row.seconds), row.detail});
    out.push_back(std::move(row));
  }
  int64_t orphans = 0;
  for (ValidationRow &fk : check_foreign_keys(target_schema)) {
    orphans += fk.rows_differing;
    state_rows(
        "INSERT INTO minibar_migrate.validation_foreign_keys (validation_id, table_name, "
        "constraint_name, orphans, example) VALUES ($1::pg_catalog.int8, $2, $3, "
        "$4::pg_catalog.int8, NULLIF($5, '')) RETURNING 1",
        {id, fk.target_table, fk.source_table, std::to_string(fk.rows_differing), fk.example});
    out.push_back(std::move(fk));
  }
  state_rows(
      "UPDATE minibar_migrate.validations SET finished_at = pg_catalog.clock_timestamp(), "
      "tables = $2::pg_catalog.int4, tables_differing = $3::pg_catalog.int4, orphans = "
      "$4::pg_catalog.int8, ok = ($3::pg_catalog.int4 = 0 AND $4::pg_catalog.int8 = 0) WHERE "
      "validation_id = $1::pg_catalog.int8 RETURNING 1",
      {id, std::to_string(tables), std::to_string(differing), std::to_string(orphans)});
  if (options.raise_on_mismatch && (differing > 0 || orphans > 0)) raise_mismatch(id, out);
  return to_int64(id);
}

}  // namespace minibar::pg
