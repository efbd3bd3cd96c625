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

// A new SQLite file at a temporary path, made by the sqlite3 client from sql
// (empty when that failed); the caller unlinks it.
std::string sqlite_file(const std::string &sql) {
  char path[] = "/tmp/minibar_schema_testXXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return "";
  close(fd);
  std::string cmd = std::string("sqlite3 ") + path + " \"" + sql + "\"";
  if (system(cmd.c_str()) != 0) {
    unlink(path);
    return "";
  }
  return path;
}

SqliteDatabase::Options sqlite_options(const std::string &path) {
  SqliteDatabase::Options o;
  o.path = path;
  return o;
}

TEST(SqliteSchema, ReadsKeysIndexesForeignKeysAndObjects) {
  std::string path = sqlite_file(
      "CREATE TABLE p (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, flag "
      "BOOLEAN DEFAULT 1 CHECK (flag IN (0,1)));"
      " CREATE TABLE c (a INT, b TEXT, p_id INTEGER REFERENCES p ON DELETE CASCADE,"
      " PRIMARY KEY (a, b));"
      " CREATE INDEX ix_c ON c (b DESC, p_id); CREATE INDEX ix_expr ON c (lower(b));"
      " CREATE VIEW v AS SELECT 1; CREATE TRIGGER tr AFTER INSERT ON p BEGIN SELECT "
      "1; END;");
  ASSERT_FALSE(path.empty());
  SqliteDatabase db(sqlite_options(path));
  SourceSchema s = read_sqlite_schema(db);
  unlink(path.c_str());
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

// Views: reported by default; read as tables with views = true or when
// `only` names them (declared types of the columns they take from a table,
// none for expressions; no keys); one SQLite cannot run is a note, or an
// error when named.
TEST(SqliteSchema, ViewsAsTablesOrNotes) {
  std::string path = sqlite_file(
      "CREATE TABLE a (id INTEGER PRIMARY KEY, n TEXT NOT NULL DEFAULT 'x');"
      " CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER, qty DECIMAL(8,2));"
      " CREATE TABLE gone (x);"
      " CREATE VIEW vj AS SELECT a.id, a.n, b.qty FROM a LEFT JOIN b ON b.a_id = a.id;"
      " CREATE VIEW va AS SELECT a_id, sum(qty) AS total FROM b GROUP BY a_id;"
      " CREATE VIEW vbroken AS SELECT x FROM gone; DROP TABLE gone;");
  ASSERT_FALSE(path.empty());
  SqliteDatabase db(sqlite_options(path));
  SourceSchema plain = read_sqlite_schema(db);
  SourceSchema with = read_sqlite_schema(db, {}, true);
  SourceSchema named = read_sqlite_schema(db, {"va"});
  std::string broken_error;
  try {
    read_sqlite_schema(db, {"vbroken"});
  } catch (const Error &e) {
    broken_error = e.what();
  }
  unlink(path.c_str());

  ASSERT_EQ(plain.tables.size(), 2u);
  ASSERT_EQ(plain.others.size(), 3u);
  for (const SourceObject &x : plain.others) EXPECT_EQ(x.kind, "view");
  EXPECT_TRUE(plain.noted_view("vj"));
  EXPECT_FALSE(plain.noted_view("a"));

  ASSERT_EQ(with.tables.size(), 4u);
  const SourceTable *vj = with.table("vj");
  ASSERT_NE(vj, nullptr);
  EXPECT_TRUE(vj->view);
  EXPECT_EQ(vj->primary_key(), nullptr);
  EXPECT_TRUE(vj->indexes.empty());
  ASSERT_EQ(vj->columns.size(), 3u);
  EXPECT_EQ(vj->column("id")->declared, "INTEGER");
  EXPECT_FALSE(vj->column("id")->auto_increment);
  EXPECT_TRUE(vj->column("n")->nullable);
  EXPECT_FALSE(vj->column("n")->default_value.has_value());
  EXPECT_EQ(vj->column("qty")->declared, "DECIMAL(8,2)");
  const SourceTable *va = with.table("va");
  ASSERT_NE(va, nullptr);
  EXPECT_EQ(va->column("total")->declared, "");  // an expression: typed by its values
  EXPECT_FALSE(with.table("a")->view);
  EXPECT_EQ(with.table("vbroken"), nullptr);
  ASSERT_EQ(with.others.size(), 1u);
  EXPECT_EQ(with.others[0].name, "vbroken");
  EXPECT_NE(with.others[0].detail.find("not materialized: the source cannot read it"),
            std::string::npos)
      << with.others[0].detail;
  EXPECT_NE(with.others[0].detail.find("gone"), std::string::npos) << with.others[0].detail;

  ASSERT_EQ(named.tables.size(), 1u);
  EXPECT_TRUE(named.tables[0].view);
  EXPECT_TRUE(named.others.empty());
  EXPECT_NE(broken_error.find("\"vbroken\" cannot be copied"), std::string::npos) << broken_error;
}

TEST(SourceModel, ViewColumnKeepsOnlyTheType) {
  SourceColumn c;
  c.declared = "int(11)";
  c.mysql.data_type = "int";
  c.nullable = false;
  c.default_value = "0";
  c.auto_increment = c.on_update_now = c.generated = true;
  c.comment = "from the base table";
  view_column(c);
  EXPECT_EQ(c.declared, "int(11)");
  EXPECT_EQ(c.mysql.data_type, "int");
  EXPECT_TRUE(c.nullable);
  EXPECT_FALSE(c.default_value.has_value());
  EXPECT_FALSE(c.auto_increment || c.on_update_now || c.generated);
  EXPECT_TRUE(c.comment.empty());
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
