#include "pg/migrate_run.hpp"

#include "core/quote.hpp"
#include "pg/spi_util.hpp"

namespace minibar::pg {

namespace {

std::string opt(const std::optional<int64_t> &v) {
  return v ? std::to_string(*v) : "";
}

}  // namespace

int64_t run_begin(const std::string &kind, const std::string &server,
                  const std::string &target_schema, const std::string &options_json, int workers,
                  bool resumable) {
  auto rows = spi_rows(
      "INSERT INTO minibar_migrate.runs (kind, server, target_schema, options, workers, "
      "resumable) VALUES ($1, $2, NULLIF($3, ''), $4::pg_catalog.jsonb, $5::pg_catalog.int4, "
      "$6::pg_catalog.bool) RETURNING run_id",
      {kind, server, target_schema, options_json, std::to_string(workers),
       resumable ? "true" : "false"});
  return std::stoll(rows.at(0).at(0).value_or("0"));
}

std::optional<RunInfo> run_load(int64_t run_id) {
  auto rows = spi_rows(
      "SELECT kind, server, coalesce(target_schema, ''), options::pg_catalog.text, status, "
      "workers, resumable FROM minibar_migrate.runs WHERE run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
  if (rows.empty()) return std::nullopt;
  const auto &r = rows[0];
  RunInfo info;
  info.run_id = run_id;
  info.kind = r.at(0).value_or("");
  info.server = r.at(1).value_or("");
  info.target_schema = r.at(2).value_or("");
  info.options = r.at(3).value_or("{}");
  info.status = r.at(4).value_or("");
  info.workers = std::stoi(r.at(5).value_or("0"));
  info.resumable = r.at(6).value_or("f") == "t";
  return info;
}

void run_add_table(int64_t run_id, const RunTable &t) {
  spi_rows(
      "INSERT INTO minibar_migrate.run_tables (run_id, source_table, target_table, created, "
      "table_no, rows_estimated, rows_before, chunks, chunk_key, source_columns, target_columns, "
      "key_columns, identity_column) VALUES ($1::pg_catalog.int8, $2, $3, $4::pg_catalog.bool, "
      "$5::pg_catalog.int4, NULLIF($6, '-1')::pg_catalog.int8, $7::pg_catalog.int8, "
      "$8::pg_catalog.int4, NULLIF($9, ''), $10::pg_catalog.text[], $11::pg_catalog.text[], "
      "$12::pg_catalog.text[], NULLIF($13, ''))",
      {std::to_string(run_id), t.source_table, t.target_table, t.created ? "true" : "false",
       std::to_string(t.table_no), std::to_string(t.rows_estimated), std::to_string(t.rows_before),
       std::to_string(t.chunks), t.chunk_key, pg_text_array_literal(t.source_columns),
       pg_text_array_literal(t.target_columns), pg_text_array_literal(t.key_columns),
       t.identity_column});
}

void run_add_task(int64_t run_id, const RunTask &t) {
  spi_rows(
      "INSERT INTO minibar_migrate.run_tasks (run_id, task_no, phase, kind, source_table, "
      "table_scoped, key_lo, key_hi, sql, detail, rows_estimated) VALUES ($1::pg_catalog.int8, "
      "$2::pg_catalog.int4, $3::pg_catalog.int4, $4, NULLIF($5, ''), $6::pg_catalog.bool, "
      "NULLIF($7, '')::pg_catalog.int8, NULLIF($8, '')::pg_catalog.int8, NULLIF($9, ''), "
      "NULLIF($10, '')::pg_catalog.jsonb, NULLIF($11, '-1')::pg_catalog.int8)",
      {std::to_string(run_id), std::to_string(t.task_no), std::to_string(t.phase), t.kind,
       t.source_table, t.table_scoped ? "true" : "false", opt(t.key_lo), opt(t.key_hi), t.sql,
       t.detail_json, std::to_string(t.rows_estimated)});
}

void run_record_note(int64_t run_id, const std::string &source_table, const Note &n) {
  spi_rows(
      "INSERT INTO minibar_migrate.run_notes (run_id, source_table, kind, object, detail) VALUES "
      "($1::pg_catalog.int8, NULLIF($2, ''), $3, $4, $5)",
      {std::to_string(run_id), source_table, n.kind, n.object, n.detail});
}

void run_record_object(int64_t run_id, const std::string &kind, const std::string &identity) {
  spi_rows(
      "INSERT INTO minibar_migrate.run_objects (run_id, object_no, kind, identity) SELECT "
      "$1::pg_catalog.int8, coalesce(max(object_no), 0) + 1, $2, $3 FROM "
      "minibar_migrate.run_objects WHERE run_id = $1::pg_catalog.int8",
      {std::to_string(run_id), kind, identity});
}

void run_finish(int64_t run_id) {
  spi_rows(
      "UPDATE minibar_migrate.runs SET status = 'done', finished_at = "
      "pg_catalog.clock_timestamp(), "
      "error = NULL WHERE run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
}

void run_failed(int64_t run_id, const std::string &error) {
  spi_rows(
      "UPDATE minibar_migrate.runs SET status = 'failed', finished_at = "
      "pg_catalog.clock_timestamp(), error = $2 WHERE run_id = $1::pg_catalog.int8 AND status = "
      "'running'",
      {std::to_string(run_id), error});
}

}  // namespace minibar::pg
