// plan_preflight: which findings need no query, which queries are planned
// for which columns, and the SQL of a few (quoted identifiers, both dialects).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "core/plan/preflight.hpp"
#include "source_column.hpp"

namespace minibar {
namespace {

SourceIndex pk(const std::string &column) {
  SourceIndex i;
  i.name = "PRIMARY";
  i.primary = i.unique = true;
  i.columns.push_back({column, 0, false});
  return i;
}

const PreflightQuery *find(const PreflightPlan &p, const std::string &table,
                           const std::string &check) {
  for (const PreflightQuery &q : p.queries)
    if (q.finding.table == table && q.finding.check == check) return &q;
  return nullptr;
}

bool has_fixed(const PreflightPlan &p, const std::string &table, const std::string &check) {
  return std::any_of(p.fixed.begin(), p.fixed.end(), [&](const PreflightFinding &f) {
    return f.table == table && f.check == check;
  });
}

SourceSchema mysql_schema() {
  SourceSchema s;
  s.dialect = Dialect::Mysql;
  SourceTable parent;
  parent.name = "parent";
  parent.columns = {test::mysql_col("id", "int", "int(11)", false)};
  parent.indexes = {pk("id")};
  SourceTable kid;
  kid.name = "ki`d";
  kid.columns = {test::mysql_col("id", "int", "int(11)", false),
                 test::mysql_col("parent_id", "int", "int(11)"),
                 test::mysql_col("born", "date", "date", false),
                 test::mysql_col("seen", "datetime", "datetime"),
                 test::mysql_col("name", "varchar", "varchar(20)", true, "utf8mb4_general_ci"),
                 test::mysql_col("doc", "longtext", "longtext"),
                 test::mysql_col("mood", "enum", "enum('a','b')"),
                 test::mysql_col("big", "bigint", "bigint(20) unsigned"),
                 test::mysql_col("span", "time", "time")};
  kid.columns[5].mysql.is_json = true;
  kid.indexes = {pk("id")};
  SourceForeignKey fk;
  fk.columns = {"parent_id"};
  fk.ref_table = "parent";
  kid.foreign_keys = {fk};
  SourceTable loose;
  loose.name = "loose";
  loose.columns = {test::mysql_col("a", "int", "int(11)")};
  s.tables = {kid, loose, parent};
  s.others = {{"view", "v_kids", ""}, {"trigger", "trg", "AFTER INSERT on kid"}};
  return s;
}

TEST(Preflight, MysqlFixedFindings) {
  PreflightPlan p = plan_preflight(mysql_schema());
  EXPECT_TRUE(has_fixed(p, "loose", "no_primary_key"));
  EXPECT_FALSE(has_fixed(p, "parent", "no_primary_key"));
  EXPECT_TRUE(has_fixed(p, "ki`d", "case_insensitive_collation"));
  EXPECT_EQ(std::count_if(p.fixed.begin(), p.fixed.end(),
                          [](const PreflightFinding &f) { return f.check == "not_migrated"; }),
            2);
}

TEST(Preflight, MysqlQueriesPerColumnType) {
  PreflightPlan p = plan_preflight(mysql_schema());
  for (const char *check : {"unsigned_beyond_bigint", "time_beyond_day", "orphan_rows", "size"})
    EXPECT_NE(find(p, "ki`d", check), nullptr) << check;
  // Whether values convert is left to the migration's reader, not asked in SQL.
  for (const char *check : {"zero_date", "nul_byte", "invalid_json", "enum_error_value"})
    EXPECT_EQ(find(p, "ki`d", check), nullptr) << check;
  EXPECT_EQ(find(p, "ki`d", "unsigned_beyond_bigint")->sql,
            "SELECT COUNT(*), MIN(CONCAT('id=', LEFT(CAST(`id` AS CHAR), 60))) FROM `ki``d` WHERE "
            "`big` > 9223372036854775807");
  EXPECT_TRUE(find(p, "parent", "size")->always);
}

TEST(Preflight, MysqlOrphanQuery) {
  PreflightPlan p = plan_preflight(mysql_schema());
  const PreflightQuery *o = find(p, "ki`d", "orphan_rows");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(
      o->sql,
      "SELECT COUNT(*), MIN(CONCAT('parent_id=', CAST(c.`parent_id` AS CHAR))) FROM `ki``d` c "
      "WHERE c.`parent_id` IS NOT NULL AND NOT EXISTS (SELECT 1 FROM `parent` p WHERE "
      "p.`id` = c.`parent_id`)");
}

TEST(Preflight, CaseDuplicatesOnlyForCaseSensitiveUniqueText) {
  SourceSchema s = mysql_schema();
  SourceIndex u;
  u.name = "u_name";
  u.unique = true;
  u.columns.push_back({"name", 0, false});
  s.tables[0].indexes.push_back(u);
  EXPECT_EQ(find(plan_preflight(s), "ki`d", "case_duplicates"), nullptr) << "a _ci column";
  s.tables[0].columns[4].collation = "utf8mb4_bin";
  EXPECT_NE(find(plan_preflight(s), "ki`d", "case_duplicates"), nullptr) << "a _bin column";
}

TEST(Preflight, ForeignKeyToAMissingTableIsReportedNotQueried) {
  SourceSchema s = mysql_schema();
  s.tables[0].foreign_keys[0].ref_table = "gone";
  PreflightPlan p = plan_preflight(s);
  EXPECT_EQ(find(p, "ki`d", "orphan_rows"), nullptr);
  EXPECT_TRUE(has_fixed(p, "ki`d", "foreign_key_unchecked"));
}

TEST(Preflight, SqliteQueries) {
  SourceSchema s;
  s.dialect = Dialect::Sqlite;
  SourceTable t;
  t.name = "t";
  t.columns = {test::sqlite_col("id", "INTEGER"), test::sqlite_col("n", "INT"),
               test::sqlite_col("r", "REAL"),     test::sqlite_col("d", "DATETIME"),
               test::sqlite_col("j", "JSON"),     test::sqlite_col("code", "TEXT")};
  t.indexes = {pk("id")};
  SourceIndex u;
  u.name = "t_code";
  u.unique = true;
  u.columns.push_back({"code", 0, false});
  t.indexes.push_back(u);
  s.tables = {t};
  PreflightPlan p = plan_preflight(s);
  bool dup = false, rowid_dup = false;
  for (const PreflightQuery &q : p.queries) {
    // Integers, reals, text, JSON and dates are judged by the migration's
    // reader (pg/preflight/entry.cpp), not by SQL.
    for (const char *gone : {"not_an_integer", "not_a_number", "invalid_utf8", "nul_byte",
                             "invalid_json", "zero_date"})
      EXPECT_NE(q.finding.check, gone);
    if (q.finding.check == "unique_duplicates" && q.finding.column == "code") dup = true;
    if (q.finding.check == "unique_duplicates" && q.finding.column == "id") rowid_dup = true;
  }
  EXPECT_TRUE(dup);
  const PreflightQuery *ci = find(p, "t", "case_duplicates");
  ASSERT_NE(ci, nullptr);
  EXPECT_EQ(
      ci->sql,
      "SELECT COUNT(*), MIN(k) FROM (SELECT LOWER(\"code\") AS k FROM \"t\" WHERE \"code\" IS "
      "NOT NULL GROUP BY LOWER(\"code\") HAVING COUNT(*) > 1) d");
  EXPECT_FALSE(rowid_dup) << "the rowid cannot hold duplicates";
  EXPECT_EQ(find(p, "t", "size")->sql, "SELECT COUNT(*), NULL FROM \"t\"");
}

TEST(Preflight, ActionFollowsWhatTheMigrationDoes) {
  auto action = [](const char *severity, const char *check) {
    PreflightFinding f;
    f.severity = severity;
    f.check = check;
    return preflight_action(f);
  };
  EXPECT_EQ(action("error", "zero_date"), "reject");
  EXPECT_EQ(action("error", "invalid_value"), "reject");
  EXPECT_EQ(action("warning", "zero_date"), "copy");  // MySQL nullable: NULL, counted
  EXPECT_EQ(action("warning", "orphan_rows"), "note");
  EXPECT_EQ(action("info", "type_from_values"), "note");
  EXPECT_EQ(action("info", "size"), "copy");
  EXPECT_EQ(action("warning", "check_failed"), "unknown");
}

TEST(Preflight, ValueCheckNames) {
  EXPECT_EQ(value_check_name("22021", "invalid UTF-8 byte sequence", "text"), "invalid_utf8");
  EXPECT_EQ(value_check_name("22P05", "text contains a NUL byte", "text"), "nul_byte");
  EXPECT_EQ(value_check_name("22008", "zero date or zero-in-date value (...)", "date"),
            "zero_date");
  EXPECT_EQ(value_check_name("22P02", "invalid input value for enum: \"\"", "text"),
            "enum_error_value");
  EXPECT_EQ(value_check_name("22P02", "invalid input syntax for type json", "jsonb"),
            "invalid_json");
  EXPECT_EQ(value_check_name("22003", "value out of range for the column's type", "bigint"),
            "invalid_value");
  EXPECT_EQ(value_check_name("22P02", "not an integer", ""), "invalid_value");
}

TEST(Preflight, ValueTallyCountsRowsAndKeepsFewExamples) {
  ValueTally tally("t", 2);
  tally.reject("n", "invalid_value", "not an integer", "id=2");
  tally.reject("d", "invalid_value", "no such day", "id=3");
  tally.reject("n", "invalid_value", "value out of range", "id=4");
  tally.reject("n", "invalid_value", "not an integer", "id=5");
  tally.zero_date_as_null("seen", "id=6");
  EXPECT_EQ(tally.rows_rejected(), 4);
  std::vector<PreflightFinding> f = tally.findings();
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].column, "n");
  EXPECT_EQ(f[0].count, 3);
  EXPECT_EQ(f[0].example, "id=2, id=4") << "at most max_examples, in scan order";
  EXPECT_NE(f[0].advice.find("not an integer"), std::string::npos) << "the first reason";
  EXPECT_EQ(f[0].severity, "error");
  EXPECT_EQ(preflight_action(f[0]), "reject");
  EXPECT_EQ(f[1].column, "d");
  EXPECT_EQ(f[1].count, 1);
  EXPECT_EQ(f[2].check, "zero_date");
  EXPECT_EQ(f[2].severity, "warning");
  EXPECT_EQ(preflight_action(f[2]), "copy") << "a nullable zero date is copied as NULL";
}

TEST(Preflight, ValueTallySizeDoesNotGrowWithRows) {
  ValueTally tally("t");
  for (int i = 0; i < 100000; i++) tally.reject("n", "invalid_value", "x", std::to_string(i));
  std::vector<PreflightFinding> f = tally.findings();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].count, 100000);
  EXPECT_EQ(f[0].example, "0, 1, 2");
}

}  // namespace
}  // namespace minibar
