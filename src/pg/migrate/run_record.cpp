#include "core/convert/number_parse.hpp"
#include "pg/migrate/run_record.hpp"

#include "core/error.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/spi.hpp"

namespace minibar::pg {

namespace {

std::string opt(const std::optional<int64_t> &v) {
  return v ? std::to_string(*v) : "";
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
  state_rows(
      "INSERT INTO minibar_migrate.run_objects (run_id, object_no, kind, object_oid, identity) "
      "SELECT $1::pg_catalog.int8, coalesce(max(object_no), 0) + 1, $2, $3::pg_catalog.oid, $4 "
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
  if (seen.empty()) throw Error("42704", "no run " + id);
  const std::string owner = seen[0].at(0).value_or("");
  if (owner != current_role_name())
    throw Error("42501", "run " + id + " was started by role \"" + owner + "\"",
                "Only the role that started a run may roll it back.",
                "Roll it back as that role (SET ROLE).");
  auto locked = state_rows(
      "SELECT status FROM minibar_migrate.runs WHERE run_id = $1::pg_catalog.int8 FOR UPDATE",
      {id});
  if (locked.empty()) throw Error("42704", "no run " + id);
  if (locked[0].at(0).value_or("") == "rolled back")
    throw Error("55000", "run " + id + " was already rolled back");
  if (!lock_held && !try_lock_run(run_id))
    throw Error("55006", "run " + id + " is being run by another session",
                "Its workers may still be loading what it created.",
                "Wait for the run to end (or cancel it), then roll it back.");

  struct Object {
    std::string kind, oid, identity;
  };
  std::vector<Object> objects;
  for (const auto &r :
       spi_rows("SELECT kind, object_oid, identity FROM minibar_migrate.run_objects "
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
        throw Error("2BP01",
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
