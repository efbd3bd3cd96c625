// sync_table(server, remote_table, target, options): catches a migrated
// SQLite table up by a watermark column. Reads, in one SQLite read
// transaction, the rows whose watermark is >= the last one seen (rows sharing
// it are read again: upserting them again changes nothing), converts each
// value exactly as the copy does (SqliteReader), and upserts it into the
// target by its primary key. The new watermark is stored in
// minibar_migrate.table_syncs in the caller's transaction, together with the
// rows. Deletes on the source are not seen.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/convert/number_parse.hpp"
#include "core/schema/quote.hpp"
#include "core/sqlite/schema.hpp"
#include "core/plan/watermark.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/json_options.hpp"
#include "pg/base/memory.hpp"
#include "pg/migrate/table_steps.hpp"
#include "pg/remote/source.hpp"
#include "pg/base/spi.hpp"
#include "pg/remote/server/sqlite_options.hpp"
#include "pg/remote/sqlite_reader.hpp"
#include "pg/remote/target_columns.hpp"

namespace minibar::pg {
namespace {

constexpr OptionsKind kSyncTable = {
    "sync_table", "the options of sync_table in the documentation page \"Cutover\" (cutover.md)"};

struct SyncTableOptions {
  std::string watermark;           // the source column ("": the INTEGER PRIMARY KEY)
  std::optional<Watermark> since;  // where to start instead of the stored watermark
  bool ignore_missing = false, ignore_extra = false;
};

SyncTableOptions parse_options(const std::string &json) {
  SyncTableOptions out;
  for (const JsonOption &o : json_options(json, kSyncTable)) {
    if (o.key == "watermark") {
      if (o.type != "string" || o.value.empty())
        bad_option(kSyncTable, o.key, "must be the name of a source column");
      out.watermark = o.value;
    } else if (o.key == "since") {
      if (o.type == "number")
        out.since = Watermark::parse(
            o.value.find_first_of(".eE") == std::string::npos ? "integer" : "real", o.value);
      else if (o.type == "string")
        out.since = Watermark::parse("text", o.value);
      else
        bad_option(kSyncTable, o.key, "must be a number or a string, as the source stores it");
    } else if (o.key == "ignore_missing_columns") {
      out.ignore_missing = option_bool(kSyncTable, o);
    } else if (o.key == "ignore_extra_columns") {
      out.ignore_extra = option_bool(kSyncTable, o);
    } else {
      bad_option(kSyncTable, o.key,
                 "unknown (known: watermark, since, ignore_missing_columns, "
                 "ignore_extra_columns)");
    }
  }
  return out;
}

struct SyncTableResult {
  int64_t rows = 0;
  std::string from, to;  // watermark before and after ("" : none)
  int64_t source_rows = 0, target_rows = 0;
  std::string note;
};

// The target's primary-key columns (names), in key order.
std::vector<std::string> target_key(Oid relid) {
  std::vector<std::string> out;
  for (auto &r : spi_rows("SELECT a.attname::text FROM pg_catalog.pg_index i, "
                          "LATERAL pg_catalog.unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) "
                          "JOIN pg_catalog.pg_attribute a ON a.attnum = k.attnum "
                          "WHERE a.attrelid = i.indrelid AND i.indrelid = $1::pg_catalog.oid AND "
                          "i.indisprimary ORDER BY k.n",
                          {std::to_string(relid)}))
    out.push_back(*r[0]);
  return out;
}

// The largest value of the target's watermark column, typed for first_watermark.
std::optional<TargetMax> target_max(const std::string &qualified, const std::string &column) {
  const std::string c = pg_quote_ident(column);
  auto r = spi_rows(
      "SELECT CASE WHEN t.typcategory = 'D' AND t.oid = 'pg_catalog.date'::pg_catalog.regtype "
      "THEN 'date' WHEN t.typcategory = 'D' THEN 'timestamp' WHEN t.typcategory = 'N' AND t.oid "
      "IN ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype, "
      "'pg_catalog.int8'::pg_catalog.regtype) THEN 'integer' WHEN t.typcategory = 'N' THEN "
      "'float' WHEN t.typcategory = 'S' THEN 'text' END "
      "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
      "WHERE a.attrelid = $1::pg_catalog.regclass AND a.attname = $2 AND NOT a.attisdropped",
      {qualified, column});
  if (r.empty() || !r[0][0])
    throw Error(sqlstate::kDatatypeMismatch, "the watermark column \"" + column + "\" of " +
                                                 qualified +
                                                 " is not a number, a text, a date or a timestamp");
  const std::string type = *r[0][0];
  TargetMax m;
  std::string expr = "pg_catalog.max(" + c + ")::text";
  if (type == "timestamp") {
    m.type = TargetMax::Type::Timestamp;
    expr = "pg_catalog.floor(EXTRACT(epoch FROM pg_catalog.max(" + c +
           ")) * 1000000)::pg_catalog.int8::text";
  } else if (type == "date") {
    m.type = TargetMax::Type::Date;
    expr = "(pg_catalog.max(" + c + ") - DATE '1970-01-01')::text";
  } else if (type == "integer") {
    m.type = TargetMax::Type::Integer;
  } else if (type == "float") {
    m.type = TargetMax::Type::Float;
  } else {
    m.type = TargetMax::Type::Text;
  }
  auto v = spi_rows("SELECT " + expr + " FROM " + qualified);
  if (v.empty() || !v[0][0]) return std::nullopt;  // an empty target: every row
  if (m.type == TargetMax::Type::Timestamp)
    m.unix_us = to_int64(*v[0][0]);
  else if (m.type == TargetMax::Type::Date)
    m.unix_days = to_int64(*v[0][0]);
  else
    m.text = *v[0][0];
  return m;
}

// The stored watermark of this catch-up, and the column it is on.
std::optional<std::pair<std::string, Watermark>> stored_watermark(const std::string &server,
                                                                  const std::string &remote,
                                                                  Oid relid) {
  auto r = state_rows(
      "SELECT watermark_column, watermark_kind, watermark_value FROM minibar_migrate.table_syncs "
      "WHERE server = $1 AND remote_table = $2 AND target = $3::pg_catalog.oid AND owner = $4 "
      "FOR UPDATE",
      {server, remote, std::to_string(relid), current_role_name()});
  if (r.empty()) return std::nullopt;
  return std::make_pair(*r[0][0], Watermark::parse(*r[0][1], *r[0][2]));
}

SyncTableResult sync_table(const SqliteServerConfig &config, const std::string &server,
                           const std::string &remote, Oid relid, const SyncTableOptions &opts) {
  SyncTableResult out;
  std::unique_ptr<SqliteDatabase> db = sqlite_open(config);
  // One read transaction: the watermark, the count and the rows agree.
  SqliteStatement(*db, "BEGIN").step();
  SourceSchema schema = read_sqlite_schema(*db, {remote});
  const SourceTable *table = schema.table(remote);
  if (!table)
    throw Error(sqlstate::kFdwTableNotFound, "SQLite table \"" + remote + "\" does not exist");

  ColumnMatch match = match_existing(*table, relid, opts.ignore_missing, opts.ignore_extra);
  pg_call([&] {
    AclResult acl = pg_class_aclcheck(relid, GetUserId(), ACL_UPDATE | ACL_SELECT);
    if (acl != ACLCHECK_OK) aclcheck_error(acl, OBJECT_TABLE, get_rel_name(relid));
  });

  // The watermark column: the option, or the INTEGER PRIMARY KEY (new rows only).
  std::string wm_column = opts.watermark;
  if (wm_column.empty()) {
    const SourceIndex *pk = table->primary_key();
    if (pk && pk->columns.size() == 1 && table->column(pk->columns[0].column) &&
        table->column(pk->columns[0].column)->auto_increment)
      wm_column = pk->columns[0].column;
    else
      throw Error(sqlstate::kInvalidParameterValue,
                  "sync_table of " + remote + " needs a watermark column",
                  "The table has no INTEGER PRIMARY KEY to follow.",
                  "Give {\"watermark\": \"updated_at\"}: a column every insert and update sets "
                  "to a larger value.");
  }
  if (!table->column(wm_column))
    throw Error(sqlstate::kFdwColumnNotFound,
                "watermark column \"" + wm_column + "\" is not a column of " + remote);
  std::string wm_target;
  for (size_t i = 0; i < match.source_columns.size(); i++)
    if (match.source_columns[i] == wm_column) wm_target = match.target_columns[i];
  if (wm_target.empty())
    throw Error(sqlstate::kUndefinedColumn,
                "watermark column \"" + wm_column + "\" is not copied into " + match.qualified);

  const std::vector<std::string> key = target_key(relid);
  if (key.empty())
    throw Error(sqlstate::kObjectNotInPrerequisiteState,
                "sync_table needs a primary key on " + match.qualified,
                "Rows are matched to the target by its primary key (upsert).");
  for (const std::string &k : key) {
    bool found = false;
    for (const std::string &t : match.target_columns) found = found || t == k;
    if (!found)
      throw Error(
          sqlstate::kObjectNotInPrerequisiteState,
          "primary key column \"" + k + "\" of " + match.qualified + " has no source column");
  }

  // Where to start: the option, the stored watermark, or the target's largest value.
  std::optional<Watermark> start = opts.since;
  auto stored = stored_watermark(server, remote, relid);
  if (!start && stored) {
    if (stored->first != wm_column)
      throw Error(sqlstate::kObjectNotInPrerequisiteState,
                  "sync_table of " + remote + " follows watermark column \"" + stored->first +
                      "\", not \"" + wm_column + "\"",
                  "", "Give {\"since\": ...} to start following the new column.");
    start = stored->second;
  }
  const std::string wm_q = sqlite_quote_ident(wm_column);
  const std::string from_q = " FROM " + sqlite_quote_ident(remote);
  if (!start) {
    std::optional<TargetMax> max = target_max(match.qualified, wm_target);
    if (max) {
      SqliteStatement sample(*db, "SELECT max(" + wm_q + ")" + from_q);
      Cell c;
      std::string text;
      if (sample.step()) {
        c = sample.cell(0);
        text.assign(c.bytes);
      }
      start = first_watermark(*max, c.storage, text);
    }
  }
  const std::string where = start ? " WHERE " + wm_q + " >= ?" : "";
  std::optional<Watermark> new_wm;  // the largest value read (none: no row)
  out.from = start ? start->value_text() : "";

  // The new watermark and the source's row count, in the same read transaction.
  {
    SqliteStatement s(*db,
                      "SELECT max(" + wm_q + "), (SELECT count(*)" + from_q + ")" + from_q + where);
    if (start) s.bind(1, start->sql_value());
    if (s.step()) {
      Cell c = s.cell(0);
      if (c.storage != StorageClass::Null) {
        new_wm = Watermark::of_cell(c);
        out.to = new_wm->value_text();
      }
      out.source_rows = s.cell(1).i;
    }
  }

  // The upsert: every matched column; the key decides.
  const size_t n = match.target_columns.size();
  std::string cols, params, sets, conflict;
  for (size_t i = 0; i < n; i++) {
    const std::string c = pg_quote_ident(match.target_columns[i]);
    cols += (i ? ", " : "") + c;
    params += (i ? ", $" : "$") + std::to_string(i + 1);
    bool is_key = false;
    for (const std::string &k : key) is_key = is_key || k == match.target_columns[i];
    if (!is_key) sets += (sets.empty() ? "" : ", ") + c + " = EXCLUDED." + c;
  }
  for (const std::string &k : key) conflict += (conflict.empty() ? "" : ", ") + pg_quote_ident(k);
  const std::string sql = "INSERT INTO " + match.qualified + " (" + cols +
                          ") OVERRIDING SYSTEM VALUE VALUES (" + params + ") ON CONFLICT (" +
                          conflict + ") DO " + (sets.empty() ? "NOTHING" : "UPDATE SET " + sets);

  Relation rel = nullptr;
  ColumnTarget *targets = nullptr;
  const char *relname = nullptr;
  std::vector<Oid> types(n);
  pg_call([&] {
    rel = table_open(relid, AccessShareLock);
    relname = pstrdup(RelationGetRelationName(rel));
  });
  targets = target_columns(rel, match.target_columns, match.qualified);
  for (size_t i = 0; i < n; i++) {
    // The reader writes value i at attnum - 1; here the arrays are the
    // statement's parameters, in column order.
    targets[i].attnum = static_cast<AttrNumber>(i + 1);
    types[i] = targets[i].typid;
  }
  pg_call([&] { table_close(rel, NoLock); });
  SPIPlanPtr plan = nullptr;
  pg_call([&] { plan = pg_spi_prepare(sql, types, false); });

  std::string select = "SELECT ";
  for (size_t i = 0; i < n; i++)
    select += (i ? ", " : "") + sqlite_quote_ident(match.source_columns[i]);
  select += from_q + where;
  SqliteReader reader(std::move(db), select, targets, static_cast<int>(n), false, relname,
                      remote.c_str());
  reader.set_relation_kind("table");
  reader.start(start ? std::vector<SqlValue>{start->sql_value()} : std::vector<SqlValue>{});
  std::vector<Datum> values(n);
  std::unique_ptr<bool[]> isnull(new bool[n]);
  std::vector<char> flags(n);
  MemoryContext row_cxt = nullptr;
  pg_call([&] {
    row_cxt = AllocSetContextCreate(CurrentMemoryContext, "minibar sync_table row",
                                    ALLOCSET_DEFAULT_SIZES);
  });
  while (reader.next()) {
    pg_call([&] { MemoryContextReset(row_cxt); });
    {
      MemoryContextScope in_row(row_cxt);
      reader.fill(values.data(), isnull.get());
    }
    for (size_t i = 0; i < n; i++) flags[i] = isnull[i] ? 'n' : ' ';
    int rc = 0;
    pg_call([&] { rc = SPI_execute_plan(plan, values.data(), flags.data(), false, 0); });
    if (rc < 0)
      throw Error(sqlstate::kInternal,
                  std::string("SPI_execute_plan failed: ") + SPI_result_code_string(rc));
    out.rows++;
  }
  pg_call([&] { MemoryContextDelete(row_cxt); });

  auto t = spi_rows("SELECT pg_catalog.count(*)::text FROM " + match.qualified);
  out.target_rows = to_int64(*t[0][0]);
  if (out.target_rows > out.source_rows)
    out.note = std::to_string(out.target_rows - out.source_rows) +
               " row(s) more in the target than in the source: rows deleted on the source are "
               "not seen by sync_table";
  else if (out.target_rows < out.source_rows)
    out.note = std::to_string(out.source_rows - out.target_rows) +
               " row(s) of the source are not in the target: rows whose watermark is below "
               "the start (or NULL) are not read";
  if (new_wm)
    state_rows(
        "INSERT INTO minibar_migrate.table_syncs AS s (server, remote_table, target, "
        "watermark_column, watermark_kind, watermark_value, calls, rows_upserted, last_call_at, "
        "owner) VALUES ($1, $2, $3::pg_catalog.oid, $4, $5, $6, 1, $7::pg_catalog.int8, "
        "pg_catalog.now(), $8) ON CONFLICT (server, remote_table, target, owner) DO UPDATE SET "
        "watermark_column = EXCLUDED.watermark_column, watermark_kind = EXCLUDED.watermark_kind, "
        "watermark_value = EXCLUDED.watermark_value, calls = s.calls + 1, rows_upserted = "
        "s.rows_upserted + EXCLUDED.rows_upserted, last_call_at = EXCLUDED.last_call_at "
        "RETURNING 1",
        {server, remote, std::to_string(relid), wm_column, new_wm->kind_name(),
         new_wm->value_text(), std::to_string(out.rows), current_role_name()});
  else
    state_rows(
        "UPDATE minibar_migrate.table_syncs SET calls = calls + 1, last_call_at = "
        "pg_catalog.now() WHERE server = $1 AND remote_table = $2 AND target = "
        "$3::pg_catalog.oid AND owner = $4 RETURNING 1",
        {server, remote, std::to_string(relid), current_role_name()});
  return out;
}

struct SyncTableCall {
  SourceConfig config;
  int guc_level;
};

// PostgreSQL calls: the result row.
void pg_put(ReturnSetInfo *rsinfo, const SyncTableResult &r) {
  Datum v[6];
  bool n[6] = {false, r.from.empty(), r.to.empty(), false, false, r.note.empty()};
  v[0] = Int64GetDatum(r.rows);
  v[1] = r.from.empty() ? 0 : CStringGetTextDatum(r.from.c_str());
  v[2] = r.to.empty() ? 0 : CStringGetTextDatum(r.to.c_str());
  v[3] = Int64GetDatum(r.source_rows);
  v[4] = Int64GetDatum(r.target_rows);
  v[5] = r.note.empty() ? 0 : CStringGetTextDatum(r.note.c_str());
  tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
}

}  // namespace
}  // namespace minibar::pg

using namespace minibar;
using namespace minibar::pg;

extern "C" {

PG_FUNCTION_INFO_V1(minibar_sync_table);
PGDLLEXPORT Datum minibar_sync_table(PG_FUNCTION_ARGS) {
  return pg_entry([&]() -> Datum {
    if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
      ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                      errmsg("server, remote_table and target must not be NULL")));
    auto *c = static_cast<SyncTableCall *>(palloc0(sizeof(SyncTableCall)));
    const char *server = pstrdup(NameStr(*PG_GETARG_NAME(0)));
    const char *remote = text_to_cstring(PG_GETARG_TEXT_PP(1));
    Oid target = PG_GETARG_OID(2);
    const char *options = options_arg(fcinfo, 3);
    if (!SearchSysCacheExists1(RELOID, ObjectIdGetDatum(target)))
      ereport(ERROR, (errcode(ERRCODE_UNDEFINED_TABLE),
                      errmsg("relation with OID %u does not exist", target)));
    source_config(get_foreign_server_oid(server, false), &c->config);  // checks USAGE
    if (c->config.dialect != Dialect::Sqlite)
      ereport(ERROR,
              (errcode(ERRCODE_WRONG_OBJECT_TYPE),
               errmsg("sync_table reads minibar_sqlite servers; \"%s\" is a MySQL server", server),
               errhint("A MySQL source follows its binlog: use sync_start.")));
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    c->guc_level = spi_begin_pinned();
    {
      SyncTableResult r =
          sync_table(c->config.sqlite, server, remote, target, parse_options(options));
      pg_call([&] { pg_put(rsinfo, r); });
    }
    pg_call([&] { spi_end_pinned(c->guc_level); });
    return static_cast<Datum>(0);
  });
}

}  // extern "C"
