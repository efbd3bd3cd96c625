// Schema reading helpers: SQLite CHECK extraction, a real SQLite file read
// into the schema model, MySQL ENUM labels, load order, reject JSON.
#include <gtest/gtest.h>

#include <cstdio>
#include <unistd.h>

#include "core/schema/fk_order.hpp"
#include "core/convert/json_text.hpp"
#include "core/mysql/schema.hpp"
#include "core/sqlite/schema.hpp"

namespace minibar {
namespace {

TEST(SqliteChecks, ColumnAndTableLevelWithNames) {
  auto checks = sqlite_check_constraints(
      "CREATE TABLE t (\n"
      "  a INTEGER CHECK (a >= 0), -- a comment with CHECK (x)\n"
      "  \"b)\" TEXT CONSTRAINT b_len CHECK (length(\"b)\") < 10),\n"
      "  c TEXT DEFAULT 'CHECK (no)',\n"
      "  CONSTRAINT [c in] CHECK (c IN ('x', 'y)')), /* CHECK (z) */\n"
      "  CHECK ((a + 1) > 0)\n"
      ")");
  ASSERT_EQ(checks.size(), 4u);
  EXPECT_EQ(checks[0].name, "");
  EXPECT_EQ(checks[0].expr, "a >= 0");
  EXPECT_EQ(checks[1].name, "b_len");
  EXPECT_EQ(checks[1].expr, "length(\"b)\") < 10");
  EXPECT_EQ(checks[2].name, "c in");
  EXPECT_EQ(checks[2].expr, "c IN ('x', 'y)')");
  EXPECT_EQ(checks[3].expr, "(a + 1) > 0");
}

TEST(SqliteSchema, ReadsKeysIndexesForeignKeysAndObjects) {
  char path[] = "/tmp/minibar_schema_testXXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  std::string cmd = std::string("sqlite3 ") + path +
                    " \"CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, flag "
                    "BOOLEAN DEFAULT 1 CHECK (flag IN (0,1)));"
                    " CREATE TABLE c (a INT, b TEXT, p_id INTEGER REFERENCES p ON DELETE CASCADE,"
                    " PRIMARY KEY (a, b));"
                    " CREATE INDEX ix_c ON c (b DESC, p_id); CREATE INDEX ix_expr ON c (lower(b));"
                    " CREATE VIEW v AS SELECT 1; CREATE TRIGGER tr AFTER INSERT ON p BEGIN SELECT "
                    "1; END;\"";
  ASSERT_EQ(system(cmd.c_str()), 0);
  SqliteDatabase::Options o;
  o.path = path;
  SqliteDatabase db(o);
  SourceSchema s = read_sqlite_schema(db);
  unlink(path);
  ASSERT_EQ(s.tables.size(), 2u);
  const SourceTable *p = s.table("p");
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->column("id")->auto_increment);
  EXPECT_FALSE(p->column("name")->nullable);
  EXPECT_EQ(p->column("flag")->default_value.value_or(""), "1");
  ASSERT_EQ(p->checks.size(), 1u);
  EXPECT_EQ(p->checks[0].expr, "flag IN (0,1)");
  ASSERT_NE(p->primary_key(), nullptr);
  EXPECT_EQ(p->primary_key()->columns[0].column, "id");
  ASSERT_EQ(p->indexes.size(), 2u);
  EXPECT_TRUE(p->indexes[1].unique);

  const SourceTable *c = s.table("c");
  ASSERT_NE(c, nullptr);
  EXPECT_FALSE(c->column("a")->auto_increment);
  ASSERT_NE(c->primary_key(), nullptr);
  ASSERT_EQ(c->primary_key()->columns.size(), 2u);
  EXPECT_EQ(c->primary_key()->columns[1].column, "b");
  bool saw_desc = false, saw_expr = false;
  for (const SourceIndex &i : c->indexes) {
    if (i.name == "ix_c") saw_desc = i.columns.size() == 2 && i.columns[0].descending;
    if (i.name == "ix_expr") saw_expr = i.expression && !i.definition.empty();
  }
  EXPECT_TRUE(saw_desc);
  EXPECT_TRUE(saw_expr);
  ASSERT_EQ(c->foreign_keys.size(), 1u);
  EXPECT_EQ(c->foreign_keys[0].ref_table, "p");
  EXPECT_TRUE(c->foreign_keys[0].ref_columns.empty());
  EXPECT_EQ(c->foreign_keys[0].on_delete, "CASCADE");
  ASSERT_EQ(s.others.size(), 2u);
  EXPECT_EQ(s.others[0].kind, "trigger");
  EXPECT_EQ(s.others[1].kind, "view");
}

TEST(MysqlSchema, EnumLabels) {
  EXPECT_EQ(parse_mysql_enum_labels("enum('a','it''s','x,y')"),
            (std::vector<std::string>{"a", "it's", "x,y"}));
  EXPECT_EQ(parse_mysql_enum_labels("set('r','w')"), (std::vector<std::string>{"r", "w"}));
  EXPECT_EQ(parse_mysql_enum_labels("enum('')"), (std::vector<std::string>{""}));
  EXPECT_TRUE(parse_mysql_enum_labels("varchar(10)").empty());
  EXPECT_TRUE(parse_mysql_enum_labels("enum('unterminated").empty());
}

SourceTable table(const char *name, std::vector<const char *> refs) {
  SourceTable t;
  t.name = name;
  for (const char *r : refs) {
    SourceForeignKey fk;
    fk.ref_table = r;
    t.foreign_keys.push_back(fk);
  }
  return t;
}

TEST(ForeignKeyOrder, ParentsFirstSelfReferenceAndCycles) {
  SourceSchema s;
  s.tables = {table("rooms", {"floors"}),  table("floors", {"hotels"}),
              table("hotels", {"users"}),  table("users", {"hotels", "users"}),
              table("groups", {"groups"}), table("outside", {"nowhere"})};
  std::vector<size_t> order = foreign_key_order(s);
  std::vector<std::string> names;
  for (size_t i : order) names.push_back(s.tables[i].name);
  // groups and outside have no dependency; hotels <-> users is a cycle broken at hotels.
  EXPECT_EQ(names,
            (std::vector<std::string>{"groups", "outside", "hotels", "floors", "rooms", "users"}));
}

TEST(JsonText, EscapesAndHexForWhatJsonbCannotHold) {
  std::string out;
  json_append_string(out, "a\"b\\c\n\x01");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001\"");
  out.clear();
  json_append_string(out, std::string("a\0b", 3));
  EXPECT_EQ(out, "\"\\\\x610062\"");
  out.clear();
  json_append_string(out, "\xC3\x28");
  EXPECT_EQ(out, "\"\\\\xc328\"");
  out.clear();
  json_append_string(out, "Şişli");
  EXPECT_EQ(out, "\"Şişli\"");
}

}  // namespace
}  // namespace minibar
