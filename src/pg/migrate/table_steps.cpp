#include "core/convert/number_parse.hpp"
#include "pg/migrate/table_steps.hpp"

#include <set>

#include "core/schema/quote.hpp"
#include "pg/migrate/load/bulk_load.hpp"
#include "pg/base/guard.hpp"
#include "pg/base/spi.hpp"
#include "pg/base/target_check.hpp"
#include "pg/remote/target_columns.hpp"

namespace minibar::pg {

namespace {

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
    throw Error(sqlstate::kUndefinedObject,
                "invalid type \"" + type + "\" in the cast rules for " + where,
                e.edata()->message ? e.edata()->message : "");
  }
  return out;
}

// Creates the enum type (true) or checks the existing one has the labels (false).
bool ensure_enum(const std::string &schema, const std::string &name,
                 const std::vector<std::string> &labels) {
  auto kind = spi_rows(
      "SELECT t.typtype FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
      "t.typnamespace WHERE n.nspname = $1 AND t.typname = $2",
      {schema, name});
  if (kind.empty()) {
    spi_exec(create_enum_sql(schema, name, labels));
    return true;
  }
  auto existing = spi_rows(
      "SELECT e.enumlabel FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = "
      "e.enumtypid JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 "
      "AND t.typname = $2 ORDER BY e.enumsortorder",
      {schema, name});
  std::vector<std::string> have;
  for (const auto &r : existing) have.push_back(r.at(0).value_or(""));
  if (kind[0][0].value_or("") != "e" || have != labels)
    throw Error(sqlstate::kDuplicateObject,
                "type " + pg_quote_ident(schema) + "." + pg_quote_ident(name) +
                    " already exists and is not the same enum",
                "The migration needs it as an enum with the source's labels in order.",
                "Drop or rename the type, or map the column to another type with the \"columns\" "
                "option.");
  return false;
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

Oid find_schema(const std::string &schema) {
  Oid nsp = InvalidOid;
  pg_call([&] { nsp = get_namespace_oid(schema.c_str(), true); });
  return nsp;
}

std::string target_name(Oid relid, const std::string &recorded_name) {
  auto r = spi_rows(
      "SELECT n.nspname, c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
      "n.oid = c.relnamespace WHERE c.oid = $1::pg_catalog.oid",
      {std::to_string(relid)});
  if (r.empty())
    throw Error(sqlstate::kUndefinedTable,
                "target table " + recorded_name + " of the run no longer exists",
                "It was dropped while the run was going on; the run cannot continue.",
                "Roll the run back with minibar_migrate.rollback().");
  return pg_quote_ident(r[0].at(0).value_or("")) + "." + pg_quote_ident(r[0].at(1).value_or(""));
}

Oid create_target(MigrateContext &ctx, const SourceTable &table, TablePlan &plan,
                  std::vector<std::pair<Oid, std::string>> &created_types) {
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
    if (!c.enum_labels.empty() && ensure_enum(plan.schema, c.type, c.enum_labels)) {
      auto t = spi_rows(
          "SELECT t.oid FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = "
          "t.typnamespace WHERE n.nspname = $1 AND t.typname = $2",
          {plan.schema, c.type});
      created_types.push_back({static_cast<Oid>(to_uint32(t.at(0).at(0).value_or("0"))),
                               pg_quote_ident(plan.schema) + "." + pg_quote_ident(c.type)});
    }
  }
  spi_exec(create_table_sql(plan));
  for (const PlannedCheck &chk : plan.checks)
    if (std::optional<std::string> err = spi_try(add_check_sql(plan, chk)))
      plan.notes.push_back({"check", chk.name.empty() ? chk.source_expr : chk.name,
                            "CHECK (" + chk.source_expr + ") not translated: " + *err});
  for (const std::string &sql : comment_sql(plan)) spi_exec(sql);
  return find_table(plan.schema, plan.name);
}

ColumnMatch match_existing(const SourceTable &table, Oid relid, bool ignore_missing,
                           bool ignore_extra) {
  ColumnMatch out;
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
  out.qualified = pg_quote_ident(nsp) + "." + pg_quote_ident(relname);

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
    out.source_columns.push_back(table.columns[static_cast<size_t>(found)].name);
    out.target_columns.push_back(a.name);
  }
  for (size_t i = 0; i < table.columns.size(); i++)
    if (!used[i]) extra.push_back(table.columns[i].name);
  auto join = [](const std::vector<std::string> &v) {
    std::string s;
    for (const std::string &x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
  };
  if ((!missing.empty() && !ignore_missing) || (!extra.empty() && !ignore_extra) ||
      out.source_columns.empty())
    throw Error(sqlstate::kUndefinedColumn,
                "the columns of " + out.qualified + " do not match source table " + table.name,
                (missing.empty() ? "" : "Not in the source: " + join(missing) + ". ") +
                    (extra.empty() ? "" : "Not in the target: " + join(extra) + "."),
                "Nothing was loaded. Add or rename the columns, or set "
                "{\"ignore_missing_columns\": true} (target columns get their defaults) or "
                "{\"ignore_extra_columns\": true} (source columns are skipped).");
  for (const std::string &m : missing)
    out.notes.push_back({"column", m, "not in the source; filled with its default"});
  for (const std::string &e : extra)
    out.notes.push_back({"column", e, "not in the target; skipped"});
  return out;
}

LoadCounts load_chunk(MigrateContext &ctx, const ChunkLoad &load) {
  const int n = static_cast<int>(load.target_columns.size());
  Relation rel = nullptr;
  ColumnTarget *targets = nullptr;
  const char *relname = nullptr;
  Oid nsp = InvalidOid;
  // By OID, but a table dropped since the run looked it up (a DROP that
  // waited for the previous chunk) is an error naming it, not a raw OID.
  pg_call([&] { rel = try_relation_open(load.relid, RowExclusiveLock); });
  if (!rel)
    throw Error(sqlstate::kUndefinedTable,
                "target table " + load.target_name + " of run " + std::to_string(ctx.run_id) +
                    " was dropped during the copy",
                "It was dropped while the run was going on; the run cannot continue.",
                "Roll the run back with minibar_migrate.rollback(" + std::to_string(ctx.run_id) +
                    "), or recreate the table and start again.");
  pg_call([&] {
    relname = pstrdup(RelationGetRelationName(rel));
    nsp = RelationGetNamespace(rel);
  });
  // Again where the rows go in: the table may have changed since the plan (a
  // worker loads it later). Locked now, it cannot gain a trigger or an owner.
  check_target(nsp, load.relid, false, ctx.options->trust_target, RowExclusiveLock);
  targets = target_columns(rel, load.target_columns, load.target_name);
  std::vector<int> key;
  for (const std::string &k : load.key_columns)
    for (int i = 0; i < n; i++)
      if (load.source_columns[static_cast<size_t>(i)] == k) key.push_back(i);
  if (key.size() != load.key_columns.size()) key.clear();

  int64_t expected = ctx.source->begin_table(load.source_table, load.range);
  LoadCounts counts;
  {
    std::unique_ptr<RowStream> rows =
        ctx.source->rows(load.source_table, load.source_columns, targets, n, relname, load.range);
    RejectLog rejects(ctx.run_id, load.source_table, load.target_name);
    LoadRequest req;
    req.rel = rel;
    req.targets = targets;
    req.ntargets = n;
    req.rows = rows.get();
    req.batch_size = ctx.options->batch_size;
    req.max_rejects = load.max_rejects;
    req.key_columns = key;
    req.rejects = &rejects;
    counts = bulk_load(req);
  }
  // The rows are visible to the run's next statements: the foreign-key
  // checks of a child table loaded next in the same transaction see them.
  pg_call([&] {
    table_close(rel, NoLock);
    CommandCounterIncrement();
  });
  // The report must add up; anything else is an error, never a silent success.
  std::string what =
      "source table " + load.source_table +
      (load.range.whole()
           ? std::string()
           : " (chunk" + key_range_condition(load.range, ctx.source->dialect()) + ")");
  if (counts.read != expected)
    throw Error(sqlstate::kInternal,
                what + ": read " + std::to_string(counts.read) + " rows, but the source counted " +
                    std::to_string(expected) + " in the same snapshot",
                "Nothing of it was kept.");
  if (counts.read != counts.copied + counts.rejected)
    throw Error(sqlstate::kInternal, what + ": " + std::to_string(counts.read) +
                                         " rows read, but " + std::to_string(counts.copied) +
                                         " copied + " + std::to_string(counts.rejected) +
                                         " rejected");
  counts.source = expected;
  return counts;
}

int64_t count_target_rows(Oid relid) {
  auto r =
      spi_rows("SELECT count(*) FROM " + target_name(relid, "(OID " + std::to_string(relid) + ")"));
  return to_int64(r.at(0).at(0).value_or("0"));
}

void run_post_load(Oid relid, const PlannedIndex &idx, std::vector<Note> &notes) {
  const std::string sql = index_sql(target_name(relid, idx.name), idx);
  if (idx.kind == "index" || idx.kind == "unique_index") {
    if (std::optional<std::string> err = spi_try(sql))
      notes.push_back({"index", idx.name, "index not created: " + *err});
  } else {
    spi_exec(sql);  // a primary key or unique constraint the data breaks is an error
  }
}

std::string foreign_key_label(const PlannedForeignKey &fk) {
  if (!fk.name.empty()) return fk.name;
  std::string cols;
  for (const std::string &c : fk.columns) cols += (cols.empty() ? "" : ", ") + c;
  return "(" + cols + ") -> " + fk.ref_source_table;
}

bool apply_foreign_key(const ForeignKeyStep &step, std::vector<Note> &notes) {
  // Validating the key is one join; only when it fails on orphan rows are
  // they counted (a second join) and the key created NOT VALID.
  const std::string table = target_name(step.table, step.table_name);
  const std::string ref_table = target_name(step.ref_table, step.ref_table_name);
  std::optional<SpiFailure> failed =
      spi_try_code(add_foreign_key_sql(table, step.fk, ref_table, false));
  if (!failed) return true;
  if (failed->sqlstate != sqlstate::kForeignKeyViolation) {
    notes.push_back({"foreign_key", step.label, "not created: " + failed->message});
    return false;
  }
  auto r = spi_rows(orphan_count_sql(table, step.fk, ref_table));
  std::string orphans = r.at(0).at(0).value_or("0");
  std::string example = r.at(0).at(1).value_or("");
  if (std::optional<SpiFailure> again =
          spi_try_code(add_foreign_key_sql(table, step.fk, ref_table, true))) {
    notes.push_back({"foreign_key", step.label, "not created: " + again->message});
    return false;
  }
  notes.push_back({"orphans", step.label,
                   orphans + " rows of " + table + " reference no row of " + ref_table +
                       " (e.g. key (" + example +
                       ")); the foreign key was created NOT VALID. Fix the rows, then "
                       "ALTER TABLE ... VALIDATE CONSTRAINT"});
  return true;
}

}  // namespace minibar::pg
