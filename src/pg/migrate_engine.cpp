#include "pg/migrate_engine.hpp"

#include <chrono>

#include "core/quote.hpp"
#include "pg/bulk_load.hpp"
#include "pg/guard.hpp"
#include "pg/spi_util.hpp"

namespace minibar::pg {

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int64_t count_rows(const std::string &qualified) {
  auto r = spi_rows("SELECT count(*) FROM " + qualified);
  return std::stoll(r.at(0).at(0).value_or("0"));
}

// A type written in a cast rule, checked and spelled the way PostgreSQL does.
std::string canonical_type(const std::string &type, const std::string &where) {
  std::string out;
  try {
    pg_call([&] {
      Oid typid;
      int32 typmod;
      parseTypeString(type.c_str(), &typid, &typmod, false);
      const char *s = format_type_with_typemod(typid, typmod);
      out.assign(s);
    });
  } catch (const PgError &e) {
    throw Error("42704", "invalid type \"" + type + "\" in the cast rules for " + where,
                e.edata()->message ? e.edata()->message : "");
  }
  return out;
}

void ensure_enum(const std::string &schema, const std::string &name,
                 const std::vector<std::string> &labels) {
  auto kind = spi_rows(
      "SELECT t.typtype FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
      "t.typnamespace WHERE n.nspname = $1 AND t.typname = $2",
      {schema, name});
  if (kind.empty()) {
    spi_exec(create_enum_sql(schema, name, labels));
    return;
  }
  auto existing = spi_rows(
      "SELECT e.enumlabel FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = "
      "e.enumtypid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 "
      "AND t.typname = $2 ORDER BY e.enumsortorder",
      {schema, name});
  std::vector<std::string> have;
  for (const auto &r : existing) have.push_back(r.at(0).value_or(""));
  if (kind[0][0].value_or("") != "e" || have != labels)
    throw Error("42710",
                "type " + pg_quote_ident(schema) + "." + pg_quote_ident(name) +
                    " already exists and is not the same enum",
                "The migration needs it as an enum with the source's labels in order.",
                "Drop or rename the type, or map the column to another type with the \"columns\" "
                "option.");
}

// Loads table's rows into relid through the given columns; verifies counts.
void load_into(MigrateContext &ctx, const SourceTable &table, Oid relid,
               const std::vector<std::string> &source_columns,
               const std::vector<AttrNumber> &attnums, int64_t before, TableResult &res) {
  const int n = static_cast<int>(attnums.size());
  Relation rel = nullptr;
  ColumnTarget *targets = nullptr;
  const char *relname = nullptr;
  pg_call([&] {
    rel = table_open(relid, RowExclusiveLock);
    targets = static_cast<ColumnTarget *>(palloc0(sizeof(ColumnTarget) * (n + 1)));
    for (int i = 0; i < n; i++)
      column_target_init(&targets[i], TupleDescAttr(RelationGetDescr(rel), attnums[i] - 1));
    relname = pstrdup(RelationGetRelationName(rel));
  });
  std::vector<int> key;
  if (const SourceIndex *pk = table.primary_key())
    for (const IndexColumn &ic : pk->columns)
      for (int i = 0; i < n; i++)
        if (source_columns[static_cast<size_t>(i)] == ic.column) key.push_back(i);
  if (table.primary_key() && key.size() != table.primary_key()->columns.size()) key.clear();

  int64_t expected = ctx.source->begin_table(table.name);
  LoadCounts counts;
  {
    std::unique_ptr<RowStream> rows =
        ctx.source->rows(table.name, source_columns, targets, n, relname);
    RejectLog rejects(ctx.run_id, table.name, res.target_name);
    LoadRequest req;
    req.rel = rel;
    req.targets = targets;
    req.ntargets = n;
    req.rows = rows.get();
    req.batch_size = ctx.options->batch_size;
    req.max_rejects = ctx.options->max_rejects;
    req.key_columns = key;
    req.rejects = &rejects;
    counts = bulk_load(req);
  }
  pg_call([&] { table_close(rel, NoLock); });
  res.rows_source = expected;
  res.rows_copied = counts.copied;
  res.rows_rejected = counts.rejected;
  res.zero_dates = counts.zero_dates;
  if (counts.general_path)
    res.notes.push_back({"load", table.name,
                         "target is partitioned or has triggers or generated columns: rows went "
                         "through INSERT, not the bulk path"});
  // The report must add up; anything else is an error, never a silent success.
  if (counts.read != expected)
    throw Error("XX000",
                "source table " + table.name + ": read " + std::to_string(counts.read) +
                    " rows, but the source counted " + std::to_string(expected) +
                    " in the same snapshot",
                "Nothing was kept.");
  if (counts.read != counts.copied + counts.rejected)
    throw Error("XX000", "table " + table.name + ": " + std::to_string(counts.read) +
                             " rows read, but " + std::to_string(counts.copied) + " copied + " +
                             std::to_string(counts.rejected) + " rejected");
  int64_t after = count_rows(res.target_name);
  if (after - before != counts.copied)
    throw Error("XX000",
                "target " + res.target_name + " gained " + std::to_string(after - before) +
                    " rows, but " + std::to_string(counts.copied) + " were copied",
                "Nothing was kept.");
  if (counts.zero_dates > 0)
    res.notes.push_back(
        {"zero_dates", table.name, std::to_string(counts.zero_dates) + " zero dates became NULL"});
}

}  // namespace

Oid find_table(const std::string &schema, const std::string &name) {
  Oid relid = InvalidOid;
  pg_call([&] {
    Oid nsp = get_namespace_oid(schema.c_str(), true);
    if (OidIsValid(nsp)) relid = get_relname_relid(name.c_str(), nsp);
  });
  return relid;
}

TableResult migrate_new_table(MigrateContext &ctx, const SourceTable &table, TablePlan &plan) {
  auto t0 = std::chrono::steady_clock::now();
  TableResult res;
  res.source_table = table.name;
  res.created = true;
  res.target_name = plan.qualified();

  std::vector<std::string> times;
  for (const PlannedColumn &c : plan.columns)
    if (c.mysql_time && !c.from_rule) times.push_back(c.source_name);
  std::set<std::string> beyond = ctx.source->times_beyond_day(table.name, times);
  for (PlannedColumn &c : plan.columns) {
    if (c.from_rule) c.type = canonical_type(c.type, "column " + table.name + "." + c.source_name);
    if (beyond.count(c.source_name)) {
      c.type = "interval";
      plan.notes.push_back({"type", c.source_name,
                            "TIME values lie outside 00:00..24:00; the column became interval"});
    }
    if (!c.enum_labels.empty()) ensure_enum(plan.schema, c.type, c.enum_labels);
  }

  spi_exec(create_table_sql(plan));
  for (const PlannedCheck &chk : plan.checks)
    if (std::optional<std::string> err = spi_try(add_check_sql(plan, chk)))
      plan.notes.push_back({"check", chk.name.empty() ? chk.source_expr : chk.name,
                            "CHECK (" + chk.source_expr + ") not translated: " + *err});
  for (const std::string &sql : comment_sql(plan)) spi_exec(sql);

  Oid relid = find_table(plan.schema, plan.name);
  res.target = relid;
  std::vector<std::string> cols;
  std::vector<AttrNumber> attnums;
  for (size_t i = 0; i < plan.columns.size(); i++) {
    cols.push_back(plan.columns[i].source_name);
    attnums.push_back(static_cast<AttrNumber>(i + 1));
  }
  load_into(ctx, table, relid, cols, attnums, 0, res);

  // Keys and indexes after the data: one sort per index instead of per-row upkeep.
  for (const std::string &sql : plan.post_load) {
    if (sql.rfind("CREATE INDEX", 0) == 0) {
      if (std::optional<std::string> err = spi_try(sql))
        plan.notes.push_back({"index", sql, "index not created: " + *err});
    } else {
      spi_exec(sql);  // a primary key or unique constraint the data breaks is an error
    }
  }
  res.notes.insert(res.notes.begin(), plan.notes.begin(), plan.notes.end());
  res.seconds = seconds_since(t0);
  return res;
}

TableResult migrate_into_existing(MigrateContext &ctx, const SourceTable &table, Oid relid) {
  auto t0 = std::chrono::steady_clock::now();
  TableResult res;
  res.source_table = table.name;
  res.created = false;
  res.target = relid;
  struct Att {
    AttrNumber num;
    std::string name;
  };
  std::vector<Att> atts;
  pg_call([&] {
    AclResult acl = pg_class_aclcheck(relid, GetUserId(), ACL_INSERT);
    if (acl != ACLCHECK_OK) aclcheck_error(acl, OBJECT_TABLE, get_rel_name(relid));
  });
  Relation rel = nullptr;
  pg_call([&] { rel = table_open(relid, AccessShareLock); });
  TupleDesc desc = RelationGetDescr(rel);
  for (int a = 0; a < desc->natts; a++) {
    Form_pg_attribute att = TupleDescAttr(desc, a);
    if (att->attisdropped || att->attgenerated) continue;
    atts.push_back({att->attnum, NameStr(att->attname)});
  }
  std::string nsp, relname;
  pg_call([&] {
    nsp.assign(get_namespace_name(RelationGetNamespace(rel)));
    relname.assign(RelationGetRelationName(rel));
    table_close(rel, NoLock);
  });
  res.target_name = pg_quote_ident(nsp) + "." + pg_quote_ident(relname);

  std::vector<std::string> cols;
  std::vector<AttrNumber> attnums;
  std::vector<std::string> missing, extra;
  std::vector<bool> used(table.columns.size(), false);
  for (const Att &a : atts) {
    int found = -1;
    for (size_t i = 0; i < table.columns.size(); i++)
      if (table.columns[i].name == a.name) found = static_cast<int>(i);
    if (found < 0)
      for (size_t i = 0; i < table.columns.size(); i++)
        if (!used[i] && ascii_lower(table.columns[i].name) == ascii_lower(a.name))
          found = static_cast<int>(i);
    if (found < 0) {
      missing.push_back(a.name);
      continue;
    }
    used[static_cast<size_t>(found)] = true;
    cols.push_back(table.columns[static_cast<size_t>(found)].name);
    attnums.push_back(a.num);
  }
  for (size_t i = 0; i < table.columns.size(); i++)
    if (!used[i]) extra.push_back(table.columns[i].name);
  auto join = [](const std::vector<std::string> &v) {
    std::string s;
    for (const std::string &x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  if ((!missing.empty() && !ctx.options->ignore_missing) ||
      (!extra.empty() && !ctx.options->ignore_extra) || cols.empty())
    throw Error("42703",
                "the columns of " + res.target_name + " do not match source table " + table.name,
                (missing.empty() ? "" : "Not in the source: " + join(missing) + ". ") +
                    (extra.empty() ? "" : "Not in the target: " + join(extra) + "."),
                "Nothing was loaded. Add or rename the columns, or set "
                "{\"ignore_missing_columns\": true} (target columns get their defaults) or "
                "{\"ignore_extra_columns\": true} (source columns are skipped).");
  for (const std::string &m : missing)
    res.notes.push_back({"column", m, "not in the source; filled with its default"});
  for (const std::string &e : extra)
    res.notes.push_back({"column", e, "not in the target; skipped"});
  int64_t before = count_rows(res.target_name);
  load_into(ctx, table, relid, cols, attnums, before, res);
  res.seconds = seconds_since(t0);
  return res;
}

void add_foreign_keys(const TablePlan &plan, const std::map<std::string, std::string> &tables,
                      std::vector<Note> &notes) {
  for (const PlannedForeignKey &fk : plan.foreign_keys) {
    auto ref = tables.find(fk.ref_source_table);
    if (ref == tables.end()) continue;
    std::string label = fk.name.empty() ? "(" +
                                              [&] {
                                                std::string s;
                                                for (const std::string &c : fk.columns)
                                                  s += (s.empty() ? "" : ", ") + c;
                                                return s;
                                              }() +
                                              ") -> " + fk.ref_source_table
                                        : fk.name;
    // Validating the key is one join; only when it fails on orphan rows are
    // they counted (a second join) and the key created NOT VALID.
    std::optional<SpiFailure> failed =
        spi_try_code(add_foreign_key_sql(plan, fk, ref->second, false));
    if (!failed) continue;
    if (failed->sqlstate != "23503") {
      notes.push_back({"foreign_key", label, "not created: " + failed->message});
      continue;
    }
    auto r = spi_rows(orphan_count_sql(plan, fk, ref->second));
    std::string orphans = r.at(0).at(0).value_or("0");
    std::string example = r.at(0).at(1).value_or("");
    if (std::optional<SpiFailure> again =
            spi_try_code(add_foreign_key_sql(plan, fk, ref->second, true))) {
      notes.push_back({"foreign_key", label, "not created: " + again->message});
      continue;
    }
    notes.push_back({"orphans", label,
                     orphans + " rows of " + plan.qualified() + " reference no row of " +
                         ref->second + " (e.g. key (" + example +
                         ")); the foreign key was created NOT VALID. Fix the rows, then "
                         "ALTER TABLE ... VALIDATE CONSTRAINT"});
  }
}

}  // namespace minibar::pg
