// Tests for SQLite declared-type affinity and the default PostgreSQL mapping.
#include "core/sqlite/types.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "core/sqlite/client.hpp"

namespace minibar {
namespace {

using A = SqliteAffinity;

TEST(SqliteAffinity, IntegerRule) {
  EXPECT_EQ(sqlite_affinity("INTEGER"), A::Integer);
  EXPECT_EQ(sqlite_affinity("INT"), A::Integer);
  EXPECT_EQ(sqlite_affinity("TINYINT"), A::Integer);
  EXPECT_EQ(sqlite_affinity("SMALLINT"), A::Integer);
  EXPECT_EQ(sqlite_affinity("MEDIUMINT"), A::Integer);
  EXPECT_EQ(sqlite_affinity("BIGINT"), A::Integer);
  EXPECT_EQ(sqlite_affinity("UNSIGNED BIG INT"), A::Integer);
  EXPECT_EQ(sqlite_affinity("INT2"), A::Integer);
  EXPECT_EQ(sqlite_affinity("INT8"), A::Integer);
  EXPECT_EQ(sqlite_affinity("TINYINT(1)"), A::Integer);
}

TEST(SqliteAffinity, TextRule) {
  EXPECT_EQ(sqlite_affinity("CHARACTER(20)"), A::Text);
  EXPECT_EQ(sqlite_affinity("VARCHAR(255)"), A::Text);
  EXPECT_EQ(sqlite_affinity("VARYING CHARACTER(255)"), A::Text);
  EXPECT_EQ(sqlite_affinity("NCHAR(55)"), A::Text);
  EXPECT_EQ(sqlite_affinity("NATIVE CHARACTER(70)"), A::Text);
  EXPECT_EQ(sqlite_affinity("NVARCHAR(100)"), A::Text);
  EXPECT_EQ(sqlite_affinity("TEXT"), A::Text);
  EXPECT_EQ(sqlite_affinity("CLOB"), A::Text);
}

TEST(SqliteAffinity, BlobRule) {
  EXPECT_EQ(sqlite_affinity("BLOB"), A::Blob);
  EXPECT_EQ(sqlite_affinity(""), A::Blob);
  EXPECT_EQ(sqlite_affinity("   "), A::Blob);
  EXPECT_EQ(sqlite_affinity("LONGBLOB"), A::Blob);
}

TEST(SqliteAffinity, RealRule) {
  EXPECT_EQ(sqlite_affinity("REAL"), A::Real);
  EXPECT_EQ(sqlite_affinity("DOUBLE"), A::Real);
  EXPECT_EQ(sqlite_affinity("DOUBLE PRECISION"), A::Real);
  EXPECT_EQ(sqlite_affinity("FLOAT"), A::Real);
  EXPECT_EQ(sqlite_affinity("FLOAT8"), A::Real);
}

TEST(SqliteAffinity, NumericRule) {
  EXPECT_EQ(sqlite_affinity("NUMERIC"), A::Numeric);
  EXPECT_EQ(sqlite_affinity("DECIMAL(10,5)"), A::Numeric);
  EXPECT_EQ(sqlite_affinity("BOOLEAN"), A::Numeric);
  EXPECT_EQ(sqlite_affinity("DATE"), A::Numeric);
  EXPECT_EQ(sqlite_affinity("DATETIME"), A::Numeric);
  EXPECT_EQ(sqlite_affinity("JSON"), A::Numeric);
}

// The quirks datatype3.html documents explicitly.
TEST(SqliteAffinity, DocumentedQuirks) {
  // "FLOATING POINT" contains "INT" (in "POINT"), and the INT rule comes first.
  EXPECT_EQ(sqlite_affinity("FLOATING POINT"), A::Integer);
  // "STRING" matches none of the rules.
  EXPECT_EQ(sqlite_affinity("STRING"), A::Numeric);
  // Rule order: INT before CHAR.
  EXPECT_EQ(sqlite_affinity("CHARINT"), A::Integer);
  // CHAR before BLOB, BLOB before REAL.
  EXPECT_EQ(sqlite_affinity("BLOBTEXT"), A::Text);
  EXPECT_EQ(sqlite_affinity("DOUBLEBLOB"), A::Blob);
  // A substring anywhere counts, even inside other words.
  EXPECT_EQ(sqlite_affinity("POINTER"), A::Integer);
  EXPECT_EQ(sqlite_affinity("CONTEXT"), A::Text);
  EXPECT_EQ(sqlite_affinity("SURREAL"), A::Real);
}

TEST(SqliteAffinity, CaseInsensitive) {
  EXPECT_EQ(sqlite_affinity("integer"), A::Integer);
  EXPECT_EQ(sqlite_affinity("InTeGeR"), A::Integer);
  EXPECT_EQ(sqlite_affinity("varchar(10)"), A::Text);
  EXPECT_EQ(sqlite_affinity("Blob"), A::Blob);
  EXPECT_EQ(sqlite_affinity("double"), A::Real);
  EXPECT_EQ(sqlite_affinity("floating point"), A::Integer);
  EXPECT_EQ(sqlite_affinity("decimal"), A::Numeric);
}

TEST(SqliteTypeToPg, ByAffinity) {
  EXPECT_EQ(sqlite_type_to_pg("INTEGER"), "bigint");
  EXPECT_EQ(sqlite_type_to_pg("INT"), "bigint");
  EXPECT_EQ(sqlite_type_to_pg("BIGINT"), "bigint");
  EXPECT_EQ(sqlite_type_to_pg("SMALLINT"), "bigint");
  EXPECT_EQ(sqlite_type_to_pg("TINYINT(1)"), "bigint");
  EXPECT_EQ(sqlite_type_to_pg("UNSIGNED BIG INT"), "bigint");
  EXPECT_EQ(sqlite_type_to_pg("VARCHAR(255)"), "text");
  EXPECT_EQ(sqlite_type_to_pg("NVARCHAR(100)"), "text");
  EXPECT_EQ(sqlite_type_to_pg("CHARACTER(20)"), "text");
  EXPECT_EQ(sqlite_type_to_pg("TEXT"), "text");
  EXPECT_EQ(sqlite_type_to_pg("CLOB"), "text");
  EXPECT_EQ(sqlite_type_to_pg("BLOB"), "bytea");
  EXPECT_EQ(sqlite_type_to_pg("REAL"), "double precision");
  EXPECT_EQ(sqlite_type_to_pg("DOUBLE"), "double precision");
  EXPECT_EQ(sqlite_type_to_pg("DOUBLE PRECISION"), "double precision");
  EXPECT_EQ(sqlite_type_to_pg("FLOAT"), "double precision");
  EXPECT_EQ(sqlite_type_to_pg("NUMERIC"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("STRING"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("FLOATING POINT"), "bigint");
}

TEST(SqliteTypeToPg, EmptyIsText) {
  EXPECT_EQ(sqlite_type_to_pg(""), "text");
  EXPECT_EQ(sqlite_type_to_pg("  "), "text");
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
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(10,2)"), "numeric(10,2)");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(10, 2)"), "numeric(10,2)");
  EXPECT_EQ(sqlite_type_to_pg("decimal( 10 , 2 )"), "numeric(10,2)");
  EXPECT_EQ(sqlite_type_to_pg("NUMERIC(12,0)"), "numeric(12,0)");
  EXPECT_EQ(sqlite_type_to_pg("NUMERIC(5)"), "numeric(5)");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL (8,3)"), "numeric(8,3)");
  EXPECT_EQ(sqlite_type_to_pg("NUMERIC(1000,1000)"), "numeric(1000,1000)");
}

TEST(SqliteTypeToPg, DecimalBadTypmodFallsBackToNumeric) {
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(0,0)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(1001)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(5,6)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(10,-2)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(a,b)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL()"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(10,2,3)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(99999999999999999999)"), "numeric");
  EXPECT_EQ(sqlite_type_to_pg("DECIMAL(10,2"), "numeric");
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
  EXPECT_FALSE(sqlite_type_depends_on_values("INTEGER"));
  EXPECT_FALSE(sqlite_type_depends_on_values("TEXT"));
  EXPECT_FALSE(sqlite_type_depends_on_values("DATETIME"));
  EXPECT_TRUE(sqlite_type_depends_on_values(""));
  EXPECT_TRUE(sqlite_type_depends_on_values("uuid"));
  EXPECT_TRUE(sqlite_type_depends_on_values("DECIMAL(10,2)"));
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
