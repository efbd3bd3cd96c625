#include "pg/migrate_run.hpp"

#include "pg/spi_util.hpp"

namespace minibar::pg {

int64_t run_begin(const char *kind, const std::string &server, const std::string &target_schema,
                  const std::string &options_json) {
  auto rows = spi_rows(
      "INSERT INTO minibar_migrate.runs (kind, server, target_schema, options) VALUES ($1, $2, "
      "NULLIF($3, ''), $4::pg_catalog.jsonb) RETURNING run_id",
      {kind, server, target_schema, options_json});
  return std::stoll(rows.at(0).at(0).value_or("0"));
}

void run_record_table(int64_t run_id, const TableResult &t) {
  spi_rows(
      "INSERT INTO minibar_migrate.run_tables (run_id, source_table, target_table, created, "
      "rows_source, rows_copied, rows_rejected, zero_dates, seconds) VALUES ($1::pg_catalog.int8, "
      "$2, $3, $4::pg_catalog.bool, $5::pg_catalog.int8, $6::pg_catalog.int8, "
      "$7::pg_catalog.int8, $8::pg_catalog.int8, $9::pg_catalog.float8)",
      {std::to_string(run_id), t.source_table, t.target_name, t.created ? "true" : "false",
       std::to_string(t.rows_source), std::to_string(t.rows_copied),
       std::to_string(t.rows_rejected), std::to_string(t.zero_dates), std::to_string(t.seconds)});
}

void run_record_note(int64_t run_id, const std::string &source_table, const Note &n) {
  spi_rows(
      "INSERT INTO minibar_migrate.run_notes (run_id, source_table, kind, object, detail) VALUES "
      "($1::pg_catalog.int8, NULLIF($2, ''), $3, $4, $5)",
      {std::to_string(run_id), source_table, n.kind, n.object, n.detail});
}

void run_finish(int64_t run_id) {
  spi_rows(
      "UPDATE minibar_migrate.runs SET status = 'done', finished_at = pg_catalog.clock_timestamp() "
      "WHERE run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
}

}  // namespace minibar::pg
