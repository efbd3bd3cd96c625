#include "core/convert/number_parse.hpp"
#include "pg/migrate/run_record.hpp"

#include "core/error.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

// Release 0.1 kept what a run created in one oid column of run_objects
// (object_oid); 0.2 keeps it in relation / type / schema (reg* types, which
// pg_dump writes by name). Until ALTER EXTENSION ... UPDATE has run, the
// library serves a database whose tables are still 0.1's.
bool run_objects_layout_01() {
  return state_table_has_column("run_objects", "object_oid");
}

std::string opt(const std::optional<int64_t> &v) {
  return v ? std::to_string(*v) : "";
}

std::optional<int64_t> opt_int64(const std::optional<std::string> &v) {
  if (!v) return std::nullopt;
  return to_int64(*v);
}

std::string text(const std::optional<std::string> &v) {
  return v.value_or("");
}

std::vector<std::string> texts(const SpiRows &rows, size_t i) {
  std::vector<std::string> out;
  for (const auto &r : rows) out.push_back(text(r.at(i)));
  return out;
}

std::vector<std::string> run_table_key(int64_t run_id, const std::string &source_table) {
  return {std::to_string(run_id), source_table};
}

}  // namespace

int64_t run_begin(const std::string &kind, const std::string &server,
                  const std::string &target_schema, const std::string &options_json, int workers,
                  bool resumable) {
  auto rows = state_rows(
      "INSERT INTO minibar_migrate.runs (kind, server, target_schema, options, workers, "
      "resumable, started_by) VALUES ($1, $2, NULLIF($3, ''), $4::pg_catalog.jsonb, "
      "$5::pg_catalog.int4, $6::pg_catalog.bool, $7) RETURNING run_id",
      {kind, server, target_schema, options_json, std::to_string(workers),
       resumable ? "true" : "false", current_role_name()});
  return to_int64(rows.at(0).at(0).value_or("0"));
}

std::optional<RunInfo> run_load(int64_t run_id) {
  auto rows = spi_rows(
      "SELECT kind, server, coalesce(target_schema, ''), options::pg_catalog.text, status, "
      "workers, resumable, started_by FROM minibar_migrate.runs WHERE run_id = "
      "$1::pg_catalog.int8",
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
  info.workers = to_int(r.at(5).value_or("0"));
  info.resumable = r.at(6).value_or("f") == "t";
  info.started_by = r.at(7).value_or("");
  return info;
}

void run_add_table(int64_t run_id, const RunTable &t) {
  state_rows(
      "INSERT INTO minibar_migrate.run_tables (run_id, source_table, target_table, created, "
      "table_no, rows_estimated, rows_before, chunks, chunk_key, source_columns, target_columns, "
      "key_columns, identity_column, target_relid) VALUES ($1::pg_catalog.int8, $2, $3, "
      "$4::pg_catalog.bool, $5::pg_catalog.int4, NULLIF($6, '-1')::pg_catalog.int8, "
      "$7::pg_catalog.int8, $8::pg_catalog.int4, NULLIF($9, ''), $10::pg_catalog.text[], "
      "$11::pg_catalog.text[], $12::pg_catalog.text[], NULLIF($13, ''), $14::pg_catalog.oid)",
      {std::to_string(run_id), t.source_table, t.target_table, t.created ? "true" : "false",
       std::to_string(t.table_no), std::to_string(t.rows_estimated), std::to_string(t.rows_before),
       std::to_string(t.chunks), t.chunk_key, pg_text_array_literal(t.source_columns),
       pg_text_array_literal(t.target_columns), pg_text_array_literal(t.key_columns),
       t.identity_column, std::to_string(t.target_relid)});
}

void run_add_task(int64_t run_id, const RunTask &t) {
  state_rows(
      "INSERT INTO minibar_migrate.run_tasks (run_id, task_no, phase, kind, source_table, "
      "table_scoped, key_lo, key_hi, detail, rows_estimated) VALUES ($1::pg_catalog.int8, "
      "$2::pg_catalog.int4, $3::pg_catalog.int4, $4, NULLIF($5, ''), $6::pg_catalog.bool, "
      "NULLIF($7, '')::pg_catalog.int8, NULLIF($8, '')::pg_catalog.int8, "
      "NULLIF($9, '')::pg_catalog.jsonb, NULLIF($10, '-1')::pg_catalog.int8)",
      {std::to_string(run_id), std::to_string(t.task_no), std::to_string(t.phase), t.kind,
       t.source_table, t.table_scoped ? "true" : "false", opt(t.key_lo), opt(t.key_hi),
       t.detail_json, std::to_string(t.rows_estimated)});
}

void run_record_note(int64_t run_id, const std::string &source_table, const Note &n) {
  state_rows(
      "INSERT INTO minibar_migrate.run_notes (run_id, source_table, kind, object, detail) VALUES "
      "($1::pg_catalog.int8, NULLIF($2, ''), $3, $4, $5)",
      {std::to_string(run_id), source_table, n.kind, n.object, n.detail});
}

void run_record_object(int64_t run_id, const std::string &kind, Oid oid,
                       const std::string &identity) {
  if (run_objects_layout_01())
    state_rows(
        "INSERT INTO minibar_migrate.run_objects (run_id, object_no, kind, object_oid, identity) "
        "SELECT $1::pg_catalog.int8, coalesce(max(object_no), 0) + 1, $2, $3::pg_catalog.oid, $4 "
        "FROM minibar_migrate.run_objects WHERE run_id = $1::pg_catalog.int8",
        {std::to_string(run_id), kind, std::to_string(oid), identity});
  else
    state_rows(
        "INSERT INTO minibar_migrate.run_objects (run_id, object_no, kind, relation, type, "
        "schema, identity) SELECT $1::pg_catalog.int8, coalesce(max(object_no), 0) + 1, $2, "
        "CASE $2 WHEN 'table' THEN $3::pg_catalog.oid END, "
        "CASE $2 WHEN 'type' THEN $3::pg_catalog.oid END, "
        "CASE $2 WHEN 'schema' THEN $3::pg_catalog.oid END, $4 "
        "FROM minibar_migrate.run_objects WHERE run_id = $1::pg_catalog.int8",
        {std::to_string(run_id), kind, std::to_string(oid), identity});
}

void run_finish(int64_t run_id) {
  state_rows(
      "UPDATE minibar_migrate.runs SET status = 'done', finished_at = "
      "pg_catalog.clock_timestamp(), error = NULL, stale_chunks = (SELECT count(*) FROM "
      "minibar_migrate.run_tasks k WHERE k.run_id = $1::pg_catalog.int8 AND k.kind = 'copy' AND "
      "k.stale IS NOT NULL) WHERE run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
}

void run_failed(int64_t run_id, const std::string &error) {
  state_rows(
      "UPDATE minibar_migrate.runs SET status = 'failed', finished_at = "
      "pg_catalog.clock_timestamp(), error = $2 WHERE run_id = $1::pg_catalog.int8 AND status = "
      "'running'",
      {std::to_string(run_id), error});
}

void run_set_source_position(int64_t run_id, const std::optional<MigrationSource::Position> &p,
                             const std::string &why) {
  state_rows(
      "UPDATE minibar_migrate.runs SET source_binlog_file = NULLIF($2, ''), source_binlog_pos = "
      "NULLIF($3, '')::pg_catalog.int8, source_gtid = NULLIF($4, ''), source_position_note = "
      "NULLIF($5, '') WHERE run_id = $1::pg_catalog.int8 RETURNING 1",
      {std::to_string(run_id), p ? p->file : "", p ? std::to_string(p->pos) : "", p ? p->gtid : "",
       why});
}

void run_resumed(int64_t run_id) {
  state_rows(
      "UPDATE minibar_migrate.runs SET status = 'running', error = NULL, finished_at = NULL, "
      "source_binlog_file = NULL, source_binlog_pos = NULL, source_gtid = NULL, "
      "source_position_note = 'resumed: the tasks left were copied from later snapshots than "
      "the first ones, so no single position for change data capture' "
      "WHERE run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
}

std::optional<int64_t> run_find_unfinished(const std::string &kind, const std::string &server,
                                           const std::string &target_schema,
                                           const std::string &remote_table) {
  auto r = spi_rows(
      "SELECT run_id FROM minibar_migrate.runs r WHERE kind = $1 AND server = $2 AND "
      "target_schema IS NOT DISTINCT FROM NULLIF($3, '') AND status IN ('running', 'failed') AND "
      "workers > 0 AND started_by = $5 AND ($1 = 'database' OR EXISTS (SELECT 1 FROM "
      "minibar_migrate.run_tables t WHERE t.run_id = r.run_id AND t.source_table = $4)) ORDER BY "
      "run_id DESC LIMIT 1",
      {kind, server, target_schema, remote_table, current_role_name()});
  if (r.empty()) return std::nullopt;
  return to_int64(r[0].at(0).value_or("0"));
}

std::optional<std::pair<int64_t, std::string>> run_running_into(const std::string &schema) {
  auto r = spi_rows(
      "SELECT run_id, started_by FROM minibar_migrate.runs WHERE target_schema = $1 AND status = "
      "'running' ORDER BY run_id DESC LIMIT 1",
      {schema});
  if (r.empty()) return std::nullopt;
  return std::make_pair(to_int64(r[0].at(0).value_or("0")), r[0].at(1).value_or("?"));
}

std::vector<RunTableResult> run_table_results(int64_t run_id) {
  std::vector<RunTableResult> out;
  for (const auto &r :
       spi_rows("SELECT source_table, target_relid::pg_catalog.oid, rows_source, rows_copied, "
                "rows_rejected, "
                "zero_dates, seconds FROM minibar_migrate.run_tables WHERE run_id = "
                "$1::pg_catalog.int8 ORDER BY table_no",
                {std::to_string(run_id)})) {
    RunTableResult t;
    t.source_table = text(r.at(0));
    t.target_relid = r.at(1) ? static_cast<Oid>(to_uint32(*r.at(1))) : InvalidOid;
    t.rows_source = to_int64(r.at(2).value_or("0"));
    t.rows_copied = to_int64(r.at(3).value_or("0"));
    t.rows_rejected = to_int64(r.at(4).value_or("0"));
    t.zero_dates = to_int64(r.at(5).value_or("0"));
    t.seconds = to_double(r.at(6).value_or("0"));
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<RunNote> run_notes(int64_t run_id) {
  std::vector<RunNote> out;
  for (const auto &r :
       spi_rows("SELECT source_table, kind, object, detail FROM minibar_migrate.run_notes "
                "WHERE run_id = $1::pg_catalog.int8 ORDER BY note_id",
                {std::to_string(run_id)}))
    out.push_back({r.at(0), {text(r.at(1)), text(r.at(2)), text(r.at(3))}});
  return out;
}

std::vector<RunProgress> run_progress(int64_t run_id) {
  std::vector<RunProgress> out;
  for (const auto &r : spi_rows(
           "SELECT source_table, state, rows_done, coalesce(rows_estimated, 0), "
           "round(coalesce(rows_per_second, 0)), coalesce(pg_catalog.round(pg_catalog.date_part("
           "'epoch', eta)), -1) FROM minibar_migrate.progress WHERE run_id = $1::pg_catalog.int8 "
           "ORDER BY table_no",
           {std::to_string(run_id)}))
    out.push_back({text(r.at(0)), text(r.at(1)), r.at(2).value_or("0"), r.at(3).value_or("0"),
                   r.at(4).value_or("0"), r.at(5).value_or("-1")});
  return out;
}

std::vector<TableCopied> run_tables_copied(int64_t run_id, const std::string &only) {
  std::vector<TableCopied> out;
  for (
      const auto &r : spi_rows(
          "SELECT t.source_table, coalesce(sum(k.rows_copied), 0), coalesce(sum(k.rows_rejected), "
          "0), coalesce(pg_catalog.date_part('epoch', max(k.finished_at) - min(k.started_at)), 0), "
          "max(k.finished_at)::pg_catalog.text, (SELECT count(*) FROM minibar_migrate.run_tables x "
          "WHERE x.run_id = t.run_id) FROM minibar_migrate.run_tables t JOIN "
          "minibar_migrate.run_tasks k ON k.run_id = t.run_id AND k.source_table = t.source_table "
          "AND k.kind = 'copy' WHERE t.run_id = $1::pg_catalog.int8 AND ($2 = '' OR "
          "t.source_table = $2) GROUP BY t.run_id, t.source_table, t.table_no HAVING "
          "bool_and(k.state = 'done') ORDER BY max(k.finished_at), t.table_no",
          {std::to_string(run_id), only})) {
    TableCopied c;
    c.source_table = text(r.at(0));
    c.rows_copied = to_int64(r.at(1).value_or("0"), "a row count");
    c.rows_rejected = to_int64(r.at(2).value_or("0"), "a row count");
    c.seconds = to_double(r.at(3).value_or("0"));
    c.finished_at = text(r.at(4));
    c.tables = to_int64(r.at(5).value_or("0"), "a table count");
    out.push_back(std::move(c));
  }
  return out;
}

RunTarget run_target(int64_t run_id, const std::string &source_table) {
  SpiRows t = spi_rows(
      "SELECT t.target_relid::pg_catalog.oid, t.target_table, n.nspname, c.relname FROM "
      "minibar_migrate.run_tables t LEFT JOIN pg_catalog.pg_class c ON c.oid = t.target_relid "
      "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE "
      "t.run_id = $1::pg_catalog.int8 AND t.source_table = $2",
      run_table_key(run_id, source_table));
  if (t.empty())
    throw Error(sqlstate::kInternal,
                "run " + std::to_string(run_id) + " has no table " + source_table);
  const std::string recorded = text(t[0].at(1));
  // The OID must still name the table the run planned: renamed or replaced
  // since (or, after a restore, an OID whose table had been dropped before
  // the dump), it is not where this run's rows go.
  if (t[0].at(2)) {
    const std::string now = pg_quote_ident(*t[0].at(2)) + "." + pg_quote_ident(text(t[0].at(3)));
    if (now != recorded)
      throw Error(
          sqlstate::kObjectNotInPrerequisiteState,
          "target table " + recorded + " of run " + std::to_string(run_id) + " is now " + now,
          "It was renamed or replaced since the run planned it; the run loads only the "
          "table it planned.",
          "Give the table its name back, or roll the run back with "
          "minibar_migrate.rollback() and start a new run.");
  }
  return {static_cast<Oid>(to_uint32(t[0].at(0).value_or("0"))), recorded};
}

std::string run_table_chunk_key(int64_t run_id, const std::string &source_table) {
  SpiRows t = spi_rows(
      "SELECT coalesce(chunk_key, '') FROM minibar_migrate.run_tables WHERE "
      "run_id = $1::pg_catalog.int8 AND source_table = $2",
      run_table_key(run_id, source_table));
  return t.empty() ? std::string() : text(t[0].at(0));
}

RunColumns run_table_columns(int64_t run_id, const std::string &source_table) {
  SpiRows cols = spi_rows(
      "SELECT u.s, u.t FROM minibar_migrate.run_tables rt, ROWS FROM (pg_catalog.unnest("
      "rt.source_columns), pg_catalog.unnest(rt.target_columns)) WITH ORDINALITY AS u(s, t, n) "
      "WHERE rt.run_id = $1::pg_catalog.int8 AND rt.source_table = $2 ORDER BY u.n",
      run_table_key(run_id, source_table));
  return {texts(cols, 0), texts(cols, 1)};
}

std::vector<std::string> run_table_key_columns(int64_t run_id, const std::string &source_table) {
  return texts(
      spi_rows("SELECT u.k FROM minibar_migrate.run_tables rt, pg_catalog.unnest(rt.key_columns) "
               "WITH ORDINALITY AS u(k, n) WHERE rt.run_id = $1::pg_catalog.int8 AND "
               "rt.source_table = $2 ORDER BY u.n",
               run_table_key(run_id, source_table)),
      0);
}

std::vector<RunTableBrief> run_tables_in_order(int64_t run_id) {
  std::vector<RunTableBrief> out;
  for (const auto &r : spi_rows(
           "SELECT source_table, coalesce(chunk_key, ''), created FROM minibar_migrate.run_tables "
           "WHERE run_id = $1::pg_catalog.int8 ORDER BY table_no",
           {std::to_string(run_id)}))
    out.push_back({text(r.at(0)), text(r.at(1)), r.at(2).value_or("f") == "t"});
  return out;
}

std::vector<RunIdentity> run_identity_tables(int64_t run_id) {
  std::vector<RunIdentity> out;
  for (const auto &r :
       spi_rows("SELECT source_table, target_relid::pg_catalog.regclass::pg_catalog.text, "
                "identity_column FROM minibar_migrate.run_tables "
                "WHERE run_id = $1::pg_catalog.int8 AND created AND identity_column IS NOT NULL",
                {std::to_string(run_id)}))
    out.push_back({text(r.at(0)), text(r.at(1)), text(r.at(2))});
  return out;
}

std::vector<std::pair<std::string, std::string>> run_reset_sequences(
    int64_t run_id, const std::string &target_schema) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto &r :
       spi_rows("SELECT t.source_table, s.note FROM minibar_migrate.reset_sequences($1) s JOIN "
                "minibar_migrate.run_tables t ON t.run_id = $2::pg_catalog.int8 AND t.target_relid "
                "= s.table_name WHERE s.note IS NOT NULL",
                {target_schema, std::to_string(run_id)}))
    out.push_back({text(r.at(0)), text(r.at(1))});
  return out;
}

void run_tables_finished(int64_t run_id) {
  state_rows(
      "UPDATE minibar_migrate.run_tables rt SET done = true, seconds = coalesce((SELECT "
      "pg_catalog.date_part('epoch', max(t.finished_at) - min(t.started_at)) FROM "
      "minibar_migrate.run_tasks t WHERE t.run_id = rt.run_id AND t.source_table = "
      "rt.source_table AND t.kind IN ('copy', 'index', 'check') AND t.state = 'done'), 0) WHERE "
      "rt.run_id = $1::pg_catalog.int8",
      {std::to_string(run_id)});
}

std::optional<TaskRow> run_claim_task(int64_t run_id) {
  SpiRows r = state_rows(
      "SELECT t.task_no, t.kind, coalesce(t.source_table, ''), t.key_lo, "
      "t.key_hi, coalesce(t.rows_estimated, -1), pg_catalog.clock_timestamp()::pg_catalog.text, "
      "t.detail ->> 'label', t.detail ->> 'name', t.detail ->> 'ref_table', "
      "t.detail ->> 'on_delete', t.detail ->> 'on_update', t.detail ->> 'kind' "
      "FROM minibar_migrate.run_tasks t WHERE t.run_id = $1::pg_catalog.int8 AND t.state = "
      "'pending' AND NOT EXISTS (SELECT 1 FROM minibar_migrate.run_tasks u WHERE u.run_id = "
      "t.run_id AND u.state = 'pending' AND u.phase < t.phase AND (NOT t.table_scoped OR "
      "u.source_table = t.source_table)) "
      // Tables that existed keep their foreign keys while they load: their
      // copies go one table after the other in foreign-key order (table_no),
      // so a child's rows find their parents committed or in this transaction.
      "AND NOT EXISTS (SELECT 1 FROM minibar_migrate.run_tasks u JOIN minibar_migrate.run_tables "
      "ut ON ut.run_id = u.run_id AND ut.source_table = u.source_table JOIN "
      "minibar_migrate.run_tables tt ON tt.run_id = t.run_id AND tt.source_table = t.source_table "
      "WHERE t.kind = 'copy' AND u.run_id = t.run_id AND u.kind = 'copy' AND u.state = "
      "'pending' AND NOT ut.created AND NOT tt.created AND ut.table_no < tt.table_no) "
      "ORDER BY t.phase, t.rows_estimated DESC NULLS LAST, "
      "t.task_no LIMIT 1 FOR UPDATE OF t SKIP LOCKED",
      {std::to_string(run_id)});
  if (r.empty()) return std::nullopt;
  const auto &row = r[0];
  TaskRow c;
  c.task_no = to_int(row.at(0).value_or("0"));
  c.kind = text(row.at(1));
  c.source_table = text(row.at(2));
  c.key_lo = opt_int64(row.at(3));
  c.key_hi = opt_int64(row.at(4));
  c.rows_estimated = to_int64(row.at(5).value_or("-1"));
  c.started_at = text(row.at(6));
  c.label = text(row.at(7));
  c.name = text(row.at(8));
  c.ref_table = text(row.at(9));
  c.on_delete = text(row.at(10));
  c.on_update = text(row.at(11));
  c.index_kind = text(row.at(12));
  return c;
}

std::vector<std::string> run_task_detail_list(int64_t run_id, int task_no, const char *key) {
  return texts(spi_rows("SELECT u.x FROM minibar_migrate.run_tasks t, "
                        "pg_catalog.jsonb_array_elements_text(t.detail -> $3) WITH ORDINALITY AS "
                        "u(x, n) WHERE t.run_id = $1::pg_catalog.int8 AND t.task_no = "
                        "$2::pg_catalog.int4 ORDER BY u.n",
                        {std::to_string(run_id), std::to_string(task_no), key}),
               0);
}

int64_t run_tasks_pending(int64_t run_id) {
  SpiRows left = spi_rows(
      "SELECT count(*) FROM minibar_migrate.run_tasks WHERE run_id = $1::pg_catalog.int8 AND "
      "state = 'pending'",
      {std::to_string(run_id)});
  return to_int64(left.at(0).at(0).value_or("0"));
}

void run_task_done(int64_t run_id, const TaskRow &t, double seconds, const LoadCounts *counts) {
  std::vector<std::string> args{std::to_string(run_id), std::to_string(t.task_no), t.started_at,
                                std::to_string(seconds)};
  std::string set;
  if (counts) {
    set =
        ", rows_source = $5::pg_catalog.int8, rows_copied = $6::pg_catalog.int8, rows_rejected = "
        "$7::pg_catalog.int8, zero_dates = $8::pg_catalog.int8, general_path = $9::pg_catalog.bool";
    args.insert(args.end(), {std::to_string(counts->source), std::to_string(counts->copied),
                             std::to_string(counts->rejected), std::to_string(counts->zero_dates),
                             counts->general_path ? "true" : "false"});
  }
  state_rows(
      "UPDATE minibar_migrate.run_tasks SET state = 'done', started_at = "
      "$3::pg_catalog.timestamptz, finished_at = pg_catalog.clock_timestamp(), seconds = "
      "$4::pg_catalog.float8, worker_pid = pg_catalog.pg_backend_pid()" +
          set + " WHERE run_id = $1::pg_catalog.int8 AND task_no = $2::pg_catalog.int4",
      args);
}

int64_t run_rows_rejected(int64_t run_id, const std::string &source_table) {
  SpiRows done = spi_rows(
      "SELECT coalesce(sum(rows_rejected), 0) FROM minibar_migrate.run_tasks WHERE run_id = "
      "$1::pg_catalog.int8 AND source_table = $2 AND kind = 'copy' AND state = 'done'",
      run_table_key(run_id, source_table));
  return to_int64(done.at(0).at(0).value_or("0"));
}

CopyTotals run_copy_totals(int64_t run_id, const std::string &source_table) {
  SpiRows s = spi_rows(
      "SELECT coalesce(sum(rows_source), 0), coalesce(sum(rows_copied), 0), "
      "coalesce(sum(rows_rejected), 0), coalesce(sum(zero_dates), 0), coalesce(bool_or("
      "general_path), false), (SELECT rows_before FROM "
      "minibar_migrate.run_tables WHERE run_id = $1::pg_catalog.int8 AND source_table = $2) FROM "
      "minibar_migrate.run_tasks WHERE run_id = $1::pg_catalog.int8 AND source_table = $2 AND "
      "kind = 'copy'",
      run_table_key(run_id, source_table));
  const auto &r = s.at(0);
  CopyTotals t;
  t.rows_source = to_int64(r.at(0).value_or("0"));
  t.rows_copied = to_int64(r.at(1).value_or("0"));
  t.rows_rejected = to_int64(r.at(2).value_or("0"));
  t.zero_dates = to_int64(r.at(3).value_or("0"));
  t.general_path = r.at(4).value_or("f") == "t";
  t.rows_before = to_int64(r.at(5).value_or("0"));
  return t;
}

void run_table_set_counts(int64_t run_id, const std::string &source_table, const CopyTotals &t) {
  state_rows(
      "UPDATE minibar_migrate.run_tables SET rows_source = $3::pg_catalog.int8, rows_copied = "
      "$4::pg_catalog.int8, rows_rejected = $5::pg_catalog.int8, zero_dates = "
      "$6::pg_catalog.int8 WHERE run_id = $1::pg_catalog.int8 AND source_table = $2",
      {std::to_string(run_id), source_table, std::to_string(t.rows_source),
       std::to_string(t.rows_copied), std::to_string(t.rows_rejected),
       std::to_string(t.zero_dates)});
}

std::vector<DoneCopy> run_done_copies(int64_t run_id, const std::string &source_table) {
  std::vector<DoneCopy> out;
  for (const auto &d : spi_rows(
           "SELECT task_no, key_lo, key_hi, coalesce(rows_rejected, 0) FROM "
           "minibar_migrate.run_tasks WHERE run_id = $1::pg_catalog.int8 AND source_table = $2 "
           "AND kind = 'copy' AND state = 'done' ORDER BY task_no",
           run_table_key(run_id, source_table)))
    out.push_back({to_int(d.at(0).value_or("0")), opt_int64(d.at(1)), opt_int64(d.at(2)),
                   to_int64(d.at(3).value_or("0"))});
  return out;
}

void run_task_redo_copy(int64_t run_id, const std::string &source_table, int task_no) {
  state_rows(
      "UPDATE minibar_migrate.run_tasks SET state = 'pending', rows_source = NULL, "
      "rows_copied = NULL, rows_rejected = NULL, zero_dates = NULL, general_path = NULL, "
      "started_at = NULL, finished_at = NULL, seconds = NULL, worker_pid = NULL WHERE run_id = "
      "$1::pg_catalog.int8 AND task_no = $2::pg_catalog.int4",
      {std::to_string(run_id), std::to_string(task_no)});
  state_rows(
      "UPDATE minibar_migrate.run_tasks SET state = 'pending' WHERE run_id = "
      "$1::pg_catalog.int8 AND source_table = $2 AND kind IN ('check', 'analyze')",
      run_table_key(run_id, source_table));
}

void run_task_mark_stale(int64_t run_id, int task_no, const std::string &difference) {
  if (difference.empty())
    state_rows(
        "UPDATE minibar_migrate.run_tasks SET stale = NULL WHERE run_id = "
        "$1::pg_catalog.int8 AND task_no = $2::pg_catalog.int4 AND stale IS NOT NULL",
        {std::to_string(run_id), std::to_string(task_no)});
  else
    state_rows(
        "UPDATE minibar_migrate.run_tasks SET stale = $3 WHERE run_id = $1::pg_catalog.int8 "
        "AND task_no = $2::pg_catalog.int4 RETURNING 1",
        {std::to_string(run_id), std::to_string(task_no), difference});
}

std::vector<std::pair<std::string, std::string>> run_stale_lines(int64_t run_id) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto &r : spi_rows("SELECT source_table, notes[1] FROM "
                                "minibar_migrate.run_report($1::pg_catalog.int8) WHERE "
                                "line = 'stale' ORDER BY source_table",
                                {std::to_string(run_id)}))
    out.emplace_back(r.at(0).value_or(""), r.at(1).value_or(""));
  return out;
}

std::vector<LatestCopy> run_latest_copies(const std::string &server,
                                          const std::string &target_schema) {
  std::vector<LatestCopy> out;
  for (const auto &t :
       spi_rows("SELECT DISTINCT ON (rt.source_table) rt.source_table, rt.target_table, "
                "r.run_id::text, coalesce(r.source_binlog_file, ''), "
                "coalesce(r.source_binlog_pos, 0)::text, coalesce(r.source_position_note, ''), "
                "array_to_json(rt.source_columns)::text, array_to_json(rt.target_columns)::text, "
                "rt.target_relid::pg_catalog.oid::pg_catalog.text "
                "FROM minibar_migrate.runs r JOIN minibar_migrate.run_tables rt USING (run_id) "
                "JOIN pg_catalog.pg_class c ON c.oid = rt.target_relid "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE r.server = $1 AND r.status = 'done' AND rt.done AND n.nspname = $2 "
                "AND r.started_by = $3 ORDER BY rt.source_table, r.run_id DESC",
                {server, target_schema, current_role_name()})) {
    LatestCopy c;
    c.source_table = text(t.at(0));
    c.target_table = text(t.at(1));
    c.run_id = to_int64(text(t.at(2)));
    c.binlog_file = text(t.at(3));
    c.binlog_pos = to_int64(text(t.at(4)));
    c.position_note = text(t.at(5));
    c.source_columns_json = text(t.at(6));
    c.target_columns_json = text(t.at(7));
    c.target_relid = static_cast<Oid>(to_uint32(text(t.at(8))));
    out.push_back(std::move(c));
  }
  return out;
}

// The minibar_migrate.progress view reads this lock in pg_locks (classid
// 2037257729, objid run_id, objsubid 2): a running run with workers whose
// lock nobody holds is shown 'stopped'.
bool try_lock_run(int64_t run_id) {
  auto r = spi_rows("SELECT pg_catalog.pg_try_advisory_xact_lock(2037257729, $1::pg_catalog.int4)",
                    {std::to_string(run_id)});
  return r.at(0).at(0).value_or("f") == "t";
}

std::vector<std::pair<std::string, int64_t>> rows_in_existing_targets(int64_t run_id) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (const auto &r :
       spi_rows("SELECT t.target_table, sum(k.rows_copied) FROM minibar_migrate.run_tables t JOIN "
                "minibar_migrate.run_tasks k ON k.run_id = t.run_id AND k.source_table = "
                "t.source_table AND k.kind = 'copy' AND k.state = 'done' WHERE t.run_id = "
                "$1::pg_catalog.int8 AND NOT t.created GROUP BY t.target_table HAVING "
                "sum(k.rows_copied) > 0 ORDER BY 1",
                {std::to_string(run_id)}))
    out.push_back({r.at(0).value_or(""), to_int64(r.at(1).value_or("0"), "a row count")});
  return out;
}

namespace {

// What an object the run created is now: its quoted, qualified name and its
// owner's name (nullopt: gone).
struct Current {
  std::string identity, owner;
};
std::optional<Current> current_object(const std::string &kind, const std::string &oid) {
  const char *sql =
      kind == "table"
          ? "SELECT n.nspname, c.relname, pg_catalog.pg_get_userbyid(c.relowner) FROM "
            "pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.oid = $1::pg_catalog.oid AND c.relkind IN ('r', 'p')"
      : kind == "type"
          ? "SELECT n.nspname, t.typname, pg_catalog.pg_get_userbyid(t.typowner) FROM "
            "pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace "
            "WHERE t.oid = $1::pg_catalog.oid AND t.typtype = 'e'"
          : "SELECT NULL, n.nspname, pg_catalog.pg_get_userbyid(n.nspowner) FROM "
            "pg_catalog.pg_namespace n WHERE n.oid = $1::pg_catalog.oid";
  auto r = spi_rows(sql, {oid});
  if (r.empty()) return std::nullopt;
  Current c;
  c.identity = r[0].at(0)
                   ? pg_quote_ident(*r[0].at(0)) + "." + pg_quote_ident(r[0].at(1).value_or(""))
                   : pg_quote_ident(r[0].at(1).value_or(""));
  c.owner = r[0].at(2).value_or("");
  return c;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> rollback_run(int64_t run_id,
                                                              const std::string &reason,
                                                              bool lock_held) {
  const std::string id = std::to_string(run_id);
  // Read as the caller: a run another role started is not visible to a
  // plain role at all (row-level security).
  auto seen = spi_rows(
      "SELECT started_by, status FROM minibar_migrate.runs WHERE run_id = $1::pg_catalog.int8",
      {id});
  if (seen.empty()) throw Error(sqlstate::kUndefinedObject, "no run " + id);
  const std::string owner = seen[0].at(0).value_or("");
  if (owner != current_role_name())
    throw Error(sqlstate::kInsufficientPrivilege,
                "run " + id + " was started by role \"" + owner + "\"",
                "Only the role that started a run may roll it back.",
                "Roll it back as that role (SET ROLE).");
  auto locked = state_rows(
      "SELECT status FROM minibar_migrate.runs WHERE run_id = $1::pg_catalog.int8 FOR UPDATE",
      {id});
  if (locked.empty()) throw Error(sqlstate::kUndefinedObject, "no run " + id);
  if (locked[0].at(0).value_or("") == "rolled back")
    throw Error(sqlstate::kObjectNotInPrerequisiteState, "run " + id + " was already rolled back");
  if (!lock_held && !try_lock_run(run_id))
    throw Error(sqlstate::kObjectInUse, "run " + id + " is being run by another session",
                "Its workers may still be loading what it created.",
                "Wait for the run to end (or cancel it), then roll it back.");

  struct Object {
    std::string kind, oid, identity;
  };
  std::vector<Object> objects;
  for (const auto &r :
       spi_rows(run_objects_layout_01()
                    ? "SELECT kind, object_oid, identity FROM minibar_migrate.run_objects "
                      "WHERE run_id = $1::pg_catalog.int8 ORDER BY object_no DESC"
                    : "SELECT kind, coalesce(relation::pg_catalog.oid, type::pg_catalog.oid, "
                      "schema::pg_catalog.oid), identity FROM minibar_migrate.run_objects "
                      "WHERE run_id = $1::pg_catalog.int8 ORDER BY object_no DESC",
                {id}))
    objects.push_back({r.at(0).value_or(""), r.at(1).value_or("0"), r.at(2).value_or("")});

  std::vector<std::pair<std::string, std::string>> out;
  std::vector<std::string> tables, types, schemas;
  for (const Object &o : objects) {
    std::optional<Current> now = current_object(o.kind, o.oid);
    if (!now) {
      out.push_back({o.kind, o.identity + " (already gone)"});
      continue;
    }
    if (now->identity != o.identity || now->owner != owner) {
      out.push_back({o.kind, o.identity + " (not dropped: it is now " + now->identity +
                                 " owned by " + now->owner + ", not what the run created)"});
      continue;
    }
    (o.kind == "table" ? tables : o.kind == "type" ? types : schemas).push_back(now->identity);
    out.push_back({o.kind, o.identity});
  }
  auto drop = [&](const std::string &what, const std::vector<std::string> &names, bool together) {
    std::vector<std::string> statements;
    if (together && !names.empty()) {
      std::string list;
      for (const std::string &n : names) list += (list.empty() ? "" : ", ") + n;
      statements.push_back("DROP " + what + " " + list + " RESTRICT");
    } else if (!together) {
      for (const std::string &n : names)
        statements.push_back("DROP " + what + " " + n + " RESTRICT");
    }
    for (const std::string &sql : statements) {
      try {
        spi_exec(sql);
      } catch (const PgError &e) {
        if (e.edata()->sqlerrcode != ERRCODE_DEPENDENT_OBJECTS_STILL_EXIST) throw;
        throw Error(sqlstate::kDependentObjectsStillExist,
                    "run " + id +
                        " cannot be rolled back: " + (e.edata()->message ? e.edata()->message : ""),
                    e.edata()->detail ? e.edata()->detail : "",
                    "Something made since depends on what the run created. Drop it first, or "
                    "keep the run.");
      }
    }
  };
  drop("TABLE", tables, true);
  drop("TYPE", types, true);
  drop("SCHEMA", schemas, false);
  // What cannot be undone, counted: rows committed into tables that existed
  // before the run (only a resumable run with workers loads them in pieces).
  for (const auto &[table, rows] : rows_in_existing_targets(run_id))
    out.push_back({"rows", std::to_string(rows) + " rows the run loaded stay in " + table +
                               " (the table existed before the run)"});
  state_rows(
      "UPDATE minibar_migrate.runs SET status = 'rolled back', finished_at = "
      "pg_catalog.clock_timestamp(), error = coalesce(NULLIF($2, ''), error) WHERE run_id = "
      "$1::pg_catalog.int8",
      {id, reason});
  return out;
}

}  // namespace minibar::pg
