// Tests for SQLite declared-type affinity and the default PostgreSQL mapping.
#include "core/sqlite/types.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "core/sqlite/client.hpp"

namespace minibar {
namespace {

using A = SqliteAffinity;

// Each of the declared types has affinity want.
void expect_affinity(A want, std::initializer_list<const char *> declared) {
  for (const char *d : declared) EXPECT_EQ(sqlite_affinity(d), want) << '"' << d << '"';
}

// Each of the declared types maps to the PostgreSQL type want.
void expect_pg_type(const char *want, std::initializer_list<const char *> declared) {
  for (const char *d : declared) EXPECT_EQ(sqlite_type_to_pg(d), want) << '"' << d << '"';
}

TEST(SqliteAffinity, IntegerRule) {
  expect_affinity(A::Integer, {"INTEGER", "INT", "TINYINT", "SMALLINT", "MEDIUMINT", "BIGINT",
                               "UNSIGNED BIG INT", "INT2", "INT8", "TINYINT(1)"});
}

TEST(SqliteAffinity, TextRule) {
  expect_affinity(A::Text, {"CHARACTER(20)", "VARCHAR(255)", "VARYING CHARACTER(255)", "NCHAR(55)",
                            "NATIVE CHARACTER(70)", "NVARCHAR(100)", "TEXT", "CLOB"});
}

TEST(SqliteAffinity, BlobRule) {
  expect_affinity(A::Blob, {"BLOB", "", "   ", "LONGBLOB"});
}

TEST(SqliteAffinity, RealRule) {
  expect_affinity(A::Real, {"REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT", "FLOAT8"});
}

TEST(SqliteAffinity, NumericRule) {
  expect_affinity(A::Numeric, {"NUMERIC", "DECIMAL(10,5)", "BOOLEAN", "DATE", "DATETIME", "JSON"});
}

// The quirks datatype3.html documents explicitly.
TEST(SqliteAffinity, DocumentedQuirks) {
  // "FLOATING POINT" contains "INT" (in "POINT"), and the INT rule comes first;
  // rule order: INT before CHAR; a substring anywhere counts, even inside other words.
  expect_affinity(A::Integer, {"FLOATING POINT", "CHARINT", "POINTER"});
  // "STRING" matches none of the rules.
  expect_affinity(A::Numeric, {"STRING"});
  // CHAR before BLOB, BLOB before REAL; a substring anywhere counts.
  expect_affinity(A::Text, {"BLOBTEXT", "CONTEXT"});
  expect_affinity(A::Blob, {"DOUBLEBLOB"});
  expect_affinity(A::Real, {"SURREAL"});
}

TEST(SqliteAffinity, CaseInsensitive) {
  expect_affinity(A::Integer, {"integer", "InTeGeR", "floating point"});
  expect_affinity(A::Text, {"varchar(10)"});
  expect_affinity(A::Blob, {"Blob"});
  expect_affinity(A::Real, {"double"});
  expect_affinity(A::Numeric, {"decimal"});
}

TEST(SqliteTypeToPg, ByAffinity) {
  expect_pg_type("bigint", {"INTEGER", "INT", "BIGINT", "SMALLINT", "TINYINT(1)",
                            "UNSIGNED BIG INT", "FLOATING POINT"});
  expect_pg_type("text", {"VARCHAR(255)", "NVARCHAR(100)", "CHARACTER(20)", "TEXT", "CLOB"});
  expect_pg_type("bytea", {"BLOB"});
  expect_pg_type("double precision", {"REAL", "DOUBLE", "DOUBLE PRECISION", "FLOAT"});
  expect_pg_type("numeric", {"NUMERIC", "DECIMAL", "STRING"});
}

TEST(SqliteTypeToPg, EmptyIsText) {
  expect_pg_type("text", {"", "  "});
}

TEST(SqliteTypeToPg, NamedTypes) {
  EXPECT_EQ(sqlite_type_to_pg("BOOLEAN"), "boolean");
  EXPECT_EQ(sqlite_type_to_pg("BOOL"), "boolean");
  EXPECT_EQ(sqlite_type_to_pg("boolean"), "boolean");
  EXPECT_EQ(sqlite_type_to_pg("DATETIME"), "timestamp with time zone");
  EXPECT_EQ(sqlite_type_to_pg("datetime"), "timestamp with time zone");
  EXPECT_EQ(sqlite_type_to_pg("DateTime"), "timestamp with time zone");
  EXPECT_EQ(sqlite_type_to_pg("TIMESTAMP"), "timestamp with time zone");
  EXPECT_EQ(sqlite_type_to_pg("DATE"), "date");
  EXPECT_EQ(sqlite_type_to_pg("date"), "date");
  EXPECT_EQ(sqlite_type_to_pg("TIME"), "time without time zone");
  EXPECT_EQ(sqlite_type_to_pg("JSON"), "jsonb");
  EXPECT_EQ(sqlite_type_to_pg("JSONB"), "jsonb");
  EXPECT_EQ(sqlite_type_to_pg("json"), "jsonb");
  // Surrounding whitespace and a modifier (e.g. Rails' "datetime(6)") are ignored.
  EXPECT_EQ(sqlite_type_to_pg("  DATE  "), "date");
  EXPECT_EQ(sqlite_type_to_pg("datetime(6)"), "timestamp with time zone");
  EXPECT_EQ(sqlite_type_to_pg("TIMESTAMP (3)"), "timestamp with time zone");
}

TEST(SqliteTypeToPg, NamedTypesAreWholeNames) {
  // Only the exact names; otherwise the affinity rules apply.
  EXPECT_EQ(sqlite_type_to_pg("DATETIME2"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("UPDATE"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("BOOLEANS"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("TIME INTERVAL"), "bigint");  // "INTERVAL" contains INT
  EXPECT_EQ(sqlite_type_to_pg("JSON TEXT"), "text");
}

TEST(SqliteTypeToPg, DecimalTypmod) {
  expect_pg_type("numeric(10,2)", {"DECIMAL(10,2)", "DECIMAL(10, 2)", "decimal( 10 , 2 )"});
  expect_pg_type("numeric(12,0)", {"NUMERIC(12,0)"});
  expect_pg_type("numeric(5)", {"NUMERIC(5)"});
  expect_pg_type("numeric(8,3)", {"DECIMAL (8,3)"});
  expect_pg_type("numeric(1000,1000)", {"NUMERIC(1000,1000)"});
}

TEST(SqliteTypeToPg, DecimalBadTypmodFallsBackToNumeric) {
  expect_pg_type("numeric",
                 {"DECIMAL(0,0)", "DECIMAL(1001)", "DECIMAL(5,6)", "DECIMAL(10,-2)", "DECIMAL(a,b)",
                  "DECIMAL()", "DECIMAL(10,2,3)", "DECIMAL(99999999999999999999)", "DECIMAL(10,2"});
}

}  // namespace
}  // namespace minibar

namespace minibar {
namespace {

TEST(SqliteTypeForValues, UuidUntypedNumeric) {
  SqliteValueProfile uuid_text;
  uuid_text.texts = 3;
  EXPECT_EQ(sqlite_type_for_values("uuid", uuid_text).type, "uuid");
  EXPECT_NE(sqlite_type_for_values("UUID", uuid_text).note.find("every value is UUID text"),
            std::string::npos);
  SqliteValueProfile bad = uuid_text;
  bad.texts_not_uuid = 1;
  EXPECT_EQ(sqlite_type_for_values("uuid", bad).type, "text");
  SqliteValueProfile blobs = uuid_text;
  blobs.blobs = 2;
  EXPECT_EQ(sqlite_type_for_values("uuid", blobs).type, "bytea");

  SqliteValueProfile none;
  EXPECT_EQ(sqlite_type_for_values("", none).type, "text");
  EXPECT_TRUE(sqlite_type_for_values("", none).note.empty());
  SqliteValueProfile ints;
  ints.integers = 5;
  EXPECT_EQ(sqlite_type_for_values("", ints).type, "bigint");
  ints.reals = 1;
  EXPECT_EQ(sqlite_type_for_values("", ints).type, "numeric");
  ints.texts = 1;
  EXPECT_EQ(sqlite_type_for_values("", ints).type, "text");
  ints.blobs = 1;
  EXPECT_EQ(sqlite_type_for_values("", ints).type, "bytea");

  SqliteValueProfile words;
  words.texts = 2;
  words.texts_not_number = 2;
  EXPECT_EQ(sqlite_type_for_values("STRING", words).type, "text");
  EXPECT_EQ(sqlite_type_for_values("NUMERIC", words).type, "text");

  SqliteValueProfile frac;
  frac.reals = 3;
  frac.max_scale = 5;
  EXPECT_EQ(sqlite_type_for_values("NUMERIC(4,4)", frac).type, "numeric(5,5)");
  frac.max_int_digits = 5;
  frac.max_scale = 3;
  EXPECT_EQ(sqlite_type_for_values("DECIMAL(6,2)", frac).type, "numeric(8,3)");
  frac.max_int_digits = 1;
  frac.max_scale = 2;
  SqliteTypeChoice fits = sqlite_type_for_values("DECIMAL(6,2)", frac);
  EXPECT_EQ(fits.type, "numeric(6,2)");
  EXPECT_TRUE(fits.note.empty());
  frac.exponents = 1;
  EXPECT_EQ(sqlite_type_for_values("DECIMAL(6,2)", frac).type, "numeric");
  // Declared kinds that decide the type are left alone.
  EXPECT_EQ(sqlite_type_for_values("INTEGER", words).type, "bigint");
  for (const char *declared : {"INTEGER", "TEXT", "DATETIME"})
    EXPECT_FALSE(sqlite_type_depends_on_values(declared)) << declared;
  for (const char *declared : {"", "uuid", "DECIMAL(10,2)"})
    EXPECT_TRUE(sqlite_type_depends_on_values(declared)) << declared;
}

TEST(SqliteTypeForValues, ProfileSqlQuotesNames) {
  std::string sql = sqlite_profile_sql("t\"x", {{"a b", "DECIMAL(6,2)"}});
  EXPECT_NE(sql.find("FROM \"t\"\"x\""), std::string::npos);
  EXPECT_NE(sql.find("typeof(\"a b\")"), std::string::npos);
  EXPECT_NE(sql.find("round(\"a b\", 2) <> \"a b\""), std::string::npos);
  EXPECT_NE(sql.find("abs(\"a b\") >= 10000"), std::string::npos);
}

// The one scan measures, per column, what the three scans it replaced did
// (class counts; UUID and number look of text; misfits of numeric(p,s) and
// their shape). The expected numbers were read with those scans (the branch
// report has the comparison) from the same rows.
TEST(SqliteTypeForValues, ProfileInOneScan) {
  char path[] = "/tmp/minibar_profile_testXXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  close(fd);
  const std::string cmd =
      std::string("sqlite3 ") + path +
      " \"CREATE TABLE t (id INTEGER PRIMARY KEY, u uuid, d DECIMAL(6,2), n NUMERIC, a, s STRING,"
      " e DECIMAL(4,4), z DECIMAL(20,0), w NUMERIC(10));"
      " INSERT INTO t VALUES (1, '0e3c3ad2-6d5b-4ec1-9e2b-6a1f2d4c9b10', 1.25, 1, x'00', 'abc',"
      " 0.99994, 12345678901234567890, 5);"
      " INSERT INTO t VALUES (2, 'not-a-uuid', 12345.678, 'abc', 't', '12', 0.5,"
      " 9223372036854775807, '7.5');"
      " INSERT INTO t VALUES (3, x'0e3c3ad26d5b4ec19e2b6a1f2d4c9b10', 0.5, 2.5, 3, 'x-y', '0.1234',"
      " -9223372036854775807, ' 12 ');"
      " INSERT INTO t VALUES (4, NULL, 'x1', NULL, NULL, NULL, NULL, NULL, NULL);"
      " INSERT INTO t VALUES (5, 12, 1e20, ' 3 ', 2.5, 1e-5, 1e-5, 4503599627370497, '1e3');"
      " INSERT INTO t VALUES (6, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '  7.125 ', '1.5e3', 'z',"
      " '', -0.0001, 0.1, 'abc');"
      " INSERT INTO t VALUES (7, 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A1Z', -99.999, 'x', '5', 'u',"
      " 0.30000000000000004, 1.5, x'41');"
      " INSERT INTO t VALUES (8, '', '+00012.50', '--1', 1, '.', 1, 100000000000000000000, '-0');"
      " INSERT INTO t VALUES (9, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 0.1 + 0.2, 'e',"
      " 9223372036854775807, 'E5', 12, '1.55', '9999999999.5');"
      " INSERT INTO t VALUES (10, NULL, 9999.99, NULL, NULL, NULL, 0.12345678901234567, NULL,"
      " 1234567890123);\"";
  ASSERT_EQ(system(cmd.c_str()), 0);
  const std::vector<std::pair<std::string, std::string>> cols = {
      {"u", "uuid"},   {"d", "DECIMAL(6,2)"}, {"n", "NUMERIC"},       {"a", ""},
      {"s", "STRING"}, {"e", "DECIMAL(4,4)"}, {"z", "DECIMAL(20,0)"}, {"w", "NUMERIC(10)"}};
  std::vector<int64_t> got;
  {
    SqliteDatabase::Options o;
    o.path = path;
    SqliteDatabase db(o);
    SqliteStatement st(db, sqlite_profile_sql("t", cols));
    ASSERT_TRUE(st.step());
    ASSERT_EQ(st.column_count(), static_cast<int>(cols.size()) * kSqliteProfileFields);
    for (int i = 0; i < st.column_count(); i++) got.push_back(st.cell(i).i);
  }
  unlink(path);
  // integers, reals, texts, blobs, texts_not_uuid, texts_not_number, misfits,
  // exponents, max_scale, max_int_digits; then the type chosen from them.
  const std::vector<std::pair<std::vector<int64_t>, std::string>> want = {
      {{1, 0, 6, 1, 3, 0, 0, 0, 0, 0}, "bytea"},    {{0, 9, 1, 0, 0, 1, 5, 1, 4, 5}, "text"},
      {{3, 1, 4, 0, 0, 3, 0, 0, 0, 0}, "text"},     {{3, 1, 3, 1, 0, 0, 0, 0, 0, 0}, "bytea"},
      {{1, 1, 6, 0, 0, 5, 0, 0, 0, 0}, "text"},     {{2, 7, 0, 0, 0, 0, 6, 1, 15, 2}, "numeric"},
      {{3, 5, 0, 0, 0, 0, 6, 1, 4, 19}, "numeric"}, {{5, 2, 1, 1, 0, 1, 3, 0, 1, 13}, "bytea"}};
  for (size_t c = 0; c < cols.size(); c++) {
    std::vector<int64_t> f(got.begin() + c * kSqliteProfileFields,
                           got.begin() + (c + 1) * kSqliteProfileFields);
    EXPECT_EQ(f, want[c].first) << cols[c].first;
    EXPECT_EQ(sqlite_type_for_values(cols[c].second, sqlite_profile_of(f.data())).type,
              want[c].second)
        << cols[c].first;
  }
}

}  // namespace
}  // namespace minibar
