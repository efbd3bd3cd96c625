#include "core/plan/preflight.hpp"

#include "core/schema/quote.hpp"
#include "core/sqlite/types.hpp"

namespace minibar {

namespace {

class Planner {
 public:
  Planner(const SourceSchema &schema, PreflightPlan &plan)
      : schema_(schema), plan_(plan), mysql_(schema.dialect == Dialect::Mysql) {}

  void run() {
    for (const SourceTable &t : schema_.tables) table(t);
    for (const SourceObject &o : schema_.others)
      fixed("warning", "", "", "not_migrated", o.kind + " " + o.name,
            o.detail.empty() ? "reported by migrate_database, not translated: rewrite it for "
                               "PostgreSQL"
                             : o.detail);
  }

 private:
  std::string q(const std::string &name) const {
    return mysql_ ? mysql_quote_ident(name) : sqlite_quote_ident(name);
  }
  // An expression for an example value: the row's key when it has a
  // one-column primary key, else the column itself (cut to 60 characters).
  std::string example(const SourceTable &t, const std::string &column) const {
    const SourceIndex *pk = t.primary_key();
    std::string e = pk && pk->columns.size() == 1 && !pk->columns[0].column.empty()
                        ? q(pk->columns[0].column)
                        : q(column);
    return mysql_ ? "MIN(CONCAT(" + mysql_key_label(t, column) + ", LEFT(CAST(" + e +
                        " AS CHAR), 60)))"
                  : "MIN(" + sqlite_key_label(t, column) + " || substr(CAST(" + e +
                        " AS TEXT), 1, 60))";
  }
  std::string key_name(const SourceTable &t, const std::string &column) const {
    const SourceIndex *pk = t.primary_key();
    return pk && pk->columns.size() == 1 && !pk->columns[0].column.empty() ? pk->columns[0].column
                                                                           : column;
  }
  std::string mysql_key_label(const SourceTable &t, const std::string &column) const {
    return "'" + escape_mysql(key_name(t, column)) + "='";
  }
  std::string sqlite_key_label(const SourceTable &t, const std::string &column) const {
    return sqlite_quote_literal(key_name(t, column) + "=");
  }
  static std::string escape_mysql(const std::string &s) {
    std::string out;
    for (char c : s) {
      if (c == '\'' || c == '\\') out += c;
      out += c;
    }
    return out;
  }

  void fixed(const std::string &severity, const std::string &table, const std::string &column,
             const std::string &check, const std::string &example, const std::string &advice,
             int64_t count = -1) {
    PreflightFinding f{severity, table, column, check, count, example, advice};
    plan_.fixed.push_back(std::move(f));
  }
  void query(const std::string &severity, const SourceTable &t, const std::string &column,
             const std::string &check, const std::string &where, const std::string &advice) {
    PreflightQuery pq;
    pq.finding = PreflightFinding{severity, t.name, column, check, -1, "", advice};
    pq.sql = "SELECT COUNT(*), " + example(t, column) + " FROM " + q(t.name) + " WHERE " + where;
    plan_.queries.push_back(std::move(pq));
  }

  void table(const SourceTable &t) {
    // Size: rows and bytes, always reported.
    PreflightQuery size;
    size.finding = PreflightFinding{"info",
                                    t.name,
                                    "",
                                    "size",
                                    -1,
                                    "",
                                    "rows (count) and bytes on disk (example) in the source"};
    size.always = true;
    size.sql = mysql_ ? "SELECT COUNT(*), (SELECT CONCAT(DATA_LENGTH + INDEX_LENGTH, ' bytes') "
                        "FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                        "TABLE_NAME = '" +
                            escape_mysql(t.name) + "') FROM " + q(t.name)
                      : "SELECT COUNT(*), NULL FROM " + q(t.name);
    plan_.queries.push_back(std::move(size));

    // MySQL's AUTO_INCREMENT counter is unsigned: past 2^63-1 the bigint
    // identity cannot continue from it.
    bool auto_inc = false;
    for (const SourceColumn &c : t.columns) auto_inc = auto_inc || c.auto_increment;
    if (mysql_ && auto_inc) {
      PreflightQuery counter;
      counter.finding = PreflightFinding{
          "warning",
          t.name,
          "",
          "auto_increment_beyond_bigint",
          -1,
          "",
          "the table's AUTO_INCREMENT counter (example) is beyond 2^63-1: migrate_database "
          "copies the rows but leaves the identity sequence exhausted at its maximum, with a "
          "note (ids the source handed out are never reused); inserts then need explicit ids "
          "or ALTER TABLE ... RESTART"};
      counter.sql =
          "SELECT COUNT(*), MAX(AUTO_INCREMENT) FROM information_schema.TABLES WHERE "
          "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '" +
          escape_mysql(t.name) + "' AND AUTO_INCREMENT > 9223372036854775807";
      plan_.queries.push_back(std::move(counter));
    }

    if (!t.primary_key())
      fixed("warning", t.name, "", "no_primary_key", "",
            "copied whole (not in parallel chunks; a resumed run copies it again), and "
            "validate_checksums cannot name its differing rows; add a primary key if you can");

    std::vector<std::string> ci_columns;
    for (const SourceColumn &c : t.columns) {
      column(t, c);
      if (mysql_ && c.collation.size() > 3 &&
          c.collation.compare(c.collation.size() - 3, 3, "_ci") == 0)
        ci_columns.push_back(c.name);
    }
    if (!ci_columns.empty()) {
      std::string list;
      for (const std::string &c : ci_columns) list += (list.empty() ? "" : ", ") + c;
      fixed("info", t.name, list, "case_insensitive_collation", list,
            "PostgreSQL compares text case-sensitively: WHERE, GROUP BY, joins and unique keys "
            "that relied on the case-insensitive collation behave differently (consider citext "
            "or a nondeterministic ICU collation for those columns)",
            static_cast<int64_t>(ci_columns.size()));
    }
    for (const SourceForeignKey &fk : t.foreign_keys) foreign_key(t, fk);
    if (!mysql_)
      for (const SourceIndex &ix : t.indexes) sqlite_unique(t, ix);
    for (const SourceIndex &ix : t.indexes) case_duplicates(t, ix);
  }

  // A one-column unique key on text that compares case-sensitively in the
  // source (MySQL _bin/_cs collations, SQLite's BINARY): values equal but
  // for case are allowed there and here, but a case-insensitive key (citext,
  // a nondeterministic collation, a unique index on lower()) would reject them.
  void case_duplicates(const SourceTable &t, const SourceIndex &ix) {
    if (!(ix.unique || ix.primary) || ix.expression || ix.partial || ix.columns.size() != 1) return;
    const SourceColumn *c = t.column(ix.columns[0].column);
    if (!c) return;
    if (mysql_) {
      const std::string &dt = c->mysql.data_type;
      if (!(dt == "char" || dt == "varchar" || dt == "tinytext" || dt == "text") ||
          c->collation.empty() || c->collation.find("_ci") != std::string::npos)
        return;
    } else if (sqlite_affinity(c->declared) != SqliteAffinity::Text) {
      return;
    }
    const std::string col = q(c->name);
    PreflightQuery pq;
    pq.finding = PreflightFinding{
        "info",
        t.name,
        c->name,
        "case_duplicates",
        -1,
        "",
        "values of this unique key that differ only in case: fine as copied (PostgreSQL compares "
        "case-sensitively too), but a case-insensitive key (citext, a nondeterministic collation, "
        "a unique index on lower()) would reject them"};
    pq.sql = "SELECT COUNT(*), MIN(k) FROM (SELECT LOWER(" + col + ") AS k FROM " + q(t.name) +
             " WHERE " + col + " IS NOT NULL GROUP BY LOWER(" + col + ") HAVING COUNT(*) > 1) d";
    plan_.queries.push_back(std::move(pq));
  }

  // Only what the values' conversion does not decide: whether a value
  // converts (text, JSON, zero dates, enums, numbers, dates of both sources)
  // is found by streaming it through the migration's own reader
  // (pg/preflight/entry.cpp), not by SQL here.
  void column(const SourceTable &t, const SourceColumn &c) {
    if (!mysql_) return;
    const std::string col = q(c.name);
    const std::string &dt = c.mysql.data_type;
    if (dt == "bigint" && c.mysql.column_type.find("unsigned") != std::string::npos)
      query("info", t, c.name, "unsigned_beyond_bigint", col + " > 9223372036854775807",
            "values above 2^63-1: the column maps to numeric(20,0), which holds them; a "
            "cast rule to bigint would reject these rows");
    if (dt == "time")
      query("info", t, c.name, "time_beyond_day",
            col + " < '00:00:00' OR " + col + " >= '24:00:00'",
            "TIME values outside 00:00..24:00 (durations): the column becomes interval "
            "instead of time");
    if (dt == "year")
      query("warning", t, c.name, "zero_year", col + " = 0",
            "YEAR 0000 (MySQL's zero year) is copied as 0; PostgreSQL has no year 0 in dates");
  }

  void foreign_key(const SourceTable &t, const SourceForeignKey &fk) {
    std::vector<std::string> ref = fk.ref_columns;
    if (ref.empty())
      if (const SourceTable *r = schema_.table(fk.ref_table))
        if (const SourceIndex *pk = r->primary_key())
          for (const IndexColumn &ic : pk->columns) ref.push_back(ic.column);
    if (ref.size() != fk.columns.size() || ref.empty() || !schema_.table(fk.ref_table)) {
      fixed("warning", t.name, "", "foreign_key_unchecked", fk.ref_table,
            "the referenced table or its key is not in the source: the foreign key cannot be "
            "checked or created");
      return;
    }
    std::string notnull, match, label;
    for (size_t i = 0; i < fk.columns.size(); i++) {
      const std::string c = "c." + q(fk.columns[i]);
      notnull += (i ? " AND " : "") + c + " IS NOT NULL";
      match += (i ? " AND " : "") + std::string("p.") + q(ref[i]) + " = " + c;
      if (mysql_)
        label += (i ? ", ', ', " : "") + std::string("'") + escape_mysql(fk.columns[i]) + "=', " +
                 "CAST(" + c + " AS CHAR)";
      else
        label += (i ? " || ', ' || " : "") + sqlite_quote_literal(fk.columns[i] + "=") +
                 " || CAST(" + c + " AS TEXT)";
    }
    std::string cols;
    for (const std::string &c : fk.columns) cols += (cols.empty() ? "" : ", ") + c;
    PreflightQuery pq;
    pq.finding = PreflightFinding{
        "warning",
        t.name,
        cols,
        "orphan_rows",
        -1,
        "",
        "rows whose " + cols + " match no row of " + fk.ref_table +
            ": the foreign key is created NOT VALID (with a note); delete or fix them to get a "
            "validated key"};
    pq.sql = "SELECT COUNT(*), MIN(" + (mysql_ ? "CONCAT(" + label + ")" : label) + ") FROM " +
             q(t.name) + " c WHERE " + notnull + " AND NOT EXISTS (SELECT 1 FROM " +
             q(fk.ref_table) + " p WHERE " + match + ")";
    plan_.queries.push_back(std::move(pq));
  }

  // SQLite keeps 1 and '1' apart in a UNIQUE column (different storage
  // classes); in PostgreSQL they become the same value.
  void sqlite_unique(const SourceTable &t, const SourceIndex &ix) {
    if (!(ix.unique || ix.primary) || ix.expression || ix.partial || ix.columns.empty()) return;
    std::string keys, cols;
    for (size_t i = 0; i < ix.columns.size(); i++) {
      keys += (i ? ", " : "") + std::string("CAST(") + q(ix.columns[i].column) + " AS TEXT)";
      cols += (i ? ", " : "") + ix.columns[i].column;
    }
    if (ix.primary && ix.columns.size() == 1) {
      const SourceColumn *c = t.column(ix.columns[0].column);
      if (c && sqlite_affinity(c->declared) == SqliteAffinity::Integer) return;  // the rowid
    }
    PreflightQuery pq;
    pq.finding = PreflightFinding{
        "error",
        t.name,
        cols,
        "unique_duplicates",
        -1,
        "",
        "values SQLite keeps apart (e.g. 1 and '1', different storage classes) that are equal "
        "as text: the unique key on (" +
            cols + ") will fail in PostgreSQL; make them distinct in the source"};
    pq.sql = "SELECT COUNT(*), MIN(k) FROM (SELECT " + keys + ", MIN(CAST(" +
             q(ix.columns[0].column) + " AS TEXT)) AS k FROM " + q(t.name) + " GROUP BY " + keys +
             " HAVING COUNT(*) > 1)";
    plan_.queries.push_back(std::move(pq));
  }

  const SourceSchema &schema_;
  PreflightPlan &plan_;
  bool mysql_;
};

}  // namespace

PreflightPlan plan_preflight(const SourceSchema &schema) {
  PreflightPlan plan;
  Planner(schema, plan).run();
  return plan;
}

std::string preflight_action(const PreflightFinding &f) {
  if (f.check == "check_failed") return "unknown";
  if (f.severity == "error") return "reject";
  if (f.check == "orphan_rows" || f.check == "foreign_key_unchecked" || f.check == "not_migrated" ||
      f.check == "type_from_values" || f.check == "time_beyond_day")
    return "note";
  return "copy";
}

namespace {
bool starts_with(const std::string &s, const char *prefix) {
  return s.compare(0, std::char_traits<char>::length(prefix), prefix) == 0;
}
}  // namespace

std::string value_check_name(const std::string &sqlstate, const std::string &reason,
                             const std::string &target_type) {
  if (sqlstate == "22021") return "invalid_utf8";
  if (sqlstate == "22P05") return "nul_byte";
  if (starts_with(reason, "zero date")) return "zero_date";
  if (starts_with(reason, "invalid input value for enum")) return "enum_error_value";
  if (target_type == "jsonb" || target_type == "json") return "invalid_json";
  return "invalid_value";
}

ValueTally::Entry &ValueTally::entry(const std::string &column, const std::string &check,
                                     bool rejected) {
  for (Entry &e : entries_)
    if (e.column == column && e.check == check && e.rejected == rejected) return e;
  Entry e;
  e.column = column;
  e.check = check;
  e.rejected = rejected;
  entries_.push_back(std::move(e));
  return entries_.back();
}

void ValueTally::reject(const std::string &column, const std::string &check,
                        const std::string &reason, const std::string &example) {
  Entry &e = entry(column, check, true);
  if (e.count++ == 0) e.reason = reason;
  if (e.examples.size() < max_examples_) e.examples.push_back(example);
  rejected_++;
}

void ValueTally::zero_date_as_null(const std::string &column, const std::string &example) {
  Entry &e = entry(column, "zero_date", false);
  e.count++;
  if (e.examples.size() < max_examples_) e.examples.push_back(example);
}

std::vector<PreflightFinding> ValueTally::findings() const {
  std::vector<PreflightFinding> out;
  for (const Entry &e : entries_) {
    PreflightFinding f;
    f.table = table_;
    f.column = e.column;
    f.check = e.check;
    f.count = e.count;
    for (const std::string &x : e.examples) f.example += (f.example.empty() ? "" : ", ") + x;
    if (e.rejected) {
      f.severity = "error";
      f.advice = "the migration rejects these rows (first reason: " + e.reason +
                 "); fix the values in the source or map the column to a type that holds them";
    } else {
      f.severity = "warning";
      f.advice =
          "zero dates and zero-in-date values become NULL (counted in zero_dates); fix them in "
          "the source to keep a value";
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace minibar
