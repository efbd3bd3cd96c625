// translate_check: CHECK expressions from untrusted MySQL/MariaDB and SQLite
// text rebuilt for PostgreSQL. Every input is either translated to exactly the
// asserted text or refused; every translated text is checked to be one
// PostgreSQL expression (balanced quotes and parentheses, no ';', comment or
// '$' outside literals, only known words).
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/schema/expr_translate.hpp"
#include "core/mysql/types.hpp"
#include "core/schema/quote.hpp"
#include "core/sqlite/types.hpp"

namespace minibar {
namespace {

// The test table: source name -> target column.
const std::map<std::string, ExprColumn> &columns() {
  static const std::map<std::string, ExprColumn> cols = {
      {"price", {"price", ExprType::Number, ""}},
      {"qty", {"qty", ExprType::Integer, ""}},
      {"n", {"n", ExprType::Integer, ""}},
      {"a", {"a", ExprType::Integer, ""}},
      {"b", {"b", ExprType::Integer, ""}},
      {"c", {"c", ExprType::Text, "utf8mb4_general_ci"}},
      {"status", {"status", ExprType::Text, "utf8mb4_general_ci"}},
      {"code", {"code", ExprType::Text, "utf8mb4_bin"}},
      {"latin", {"latin", ExprType::Text, "latin1_swedish_ci"}},
      {"name", {"name", ExprType::Text, "utf8mb4_general_ci"}},
      {"doc", {"doc", ExprType::Json, ""}},
      {"flag", {"flag", ExprType::Boolean, ""}},
      {"d", {"d", ExprType::Date, ""}},
      {"ts", {"ts", ExprType::Timestamp, ""}},
      {"blob", {"blob", ExprType::Bytes, ""}},
      {"kind", {"kind", ExprType::Enum, "utf8mb4_general_ci"}},
      {"ip", {"ip", ExprType::Other, ""}},
      {"it`s", {"it`s", ExprType::Integer, ""}},
      {"a\"b", {"a\"b", ExprType::Integer, ""}},
      {"Mixed Case", {"mixed case", ExprType::Text, "utf8mb4_bin"}},
      {"x; DROP", {"x; drop", ExprType::Integer, ""}},
  };
  return cols;
}

std::optional<ExprColumn> resolve(const std::string &name) {
  auto it = columns().find(name);
  if (it != columns().end()) return it->second;
  for (const auto &[k, v] : columns())
    if (ascii_lower(k) == ascii_lower(name)) return v;
  return std::nullopt;
}

// One PostgreSQL expression: literals and quoted identifiers closed, parentheses
// balanced, nothing but known words, operators and numbers outside them.
::testing::AssertionResult single_expression(const std::string &sql) {
  static const std::set<std::string> words = {
      "AND",      "OR",    "NOT",     "IS",      "NULL",        "TRUE",         "FALSE",
      "IN",       "LIKE",  "BETWEEN", "COLLATE", "char_length", "octet_length", "abs",
      "coalesce", "btrim", "ltrim",   "rtrim",   "lower",       "upper"};
  int depth = 0;
  size_t i = 0;
  auto fail = [&](const std::string &why) {
    return ::testing::AssertionFailure() << why << " at " << i << " in: " << sql;
  };
  // Skips quoted text whose opening quote is before i, up to and past its
  // closing quote; a doubled quote (and with backslashes a backslash and the
  // character after it) stays inside. False when the quote is not closed.
  auto skip_quoted = [&](char quote, bool backslashes) {
    while (i < sql.size()) {
      if (backslashes && sql[i] == '\\') {
        i += 2;
        continue;
      }
      if (sql[i] == quote) {
        if (i + 1 < sql.size() && sql[i + 1] == quote) {
          i += 2;
          continue;
        }
        i++;
        return true;
      }
      i++;
    }
    return false;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\0') return fail("NUL");
    if (c == '\'' || ((c == 'E') && i + 1 < sql.size() && sql[i + 1] == '\'')) {
      bool e = c == 'E';
      i += e ? 2 : 1;
      if (!skip_quoted('\'', e)) return fail("unterminated literal");
      if (i < sql.size() && (sql[i] == '\'' || isalnum(static_cast<unsigned char>(sql[i]))))
        return fail("literal run on");
      continue;
    }
    if (c == '"') {
      i++;
      if (!skip_quoted('"', false)) return fail("unterminated identifier");
      continue;
    }
    if (c == '(') depth++;
    if (c == ')' && --depth < 0) return fail("unbalanced ')'");
    if (c == ';' || c == '$' || c == '\\' || c == '[' || c == '`' || c == '#' || c == ':' ||
        c == '?' || c == '@' || c == '|' || c == '&' || c == '!' || c == '{' || c == '~' ||
        c == '^')
      return fail(std::string("character '") + c + "'");
    if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') return fail("'--'");
    if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') return fail("'/*'");
    if (c == '*' && i + 1 < sql.size() && sql[i + 1] == '/') return fail("'*/'");
    if (isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t s = i;
      while (i < sql.size() && (isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '_')) i++;
      std::string w = sql.substr(s, i - s);
      if (!words.count(w)) return fail("word " + w);
      continue;
    }
    if (isdigit(static_cast<unsigned char>(c))) {
      while (i < sql.size() && (isdigit(static_cast<unsigned char>(sql[i])) || sql[i] == '.' ||
                                sql[i] == 'e' || sql[i] == '-'))
        i++;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) return fail("non-ASCII outside quotes");
    i++;
  }
  if (depth != 0) return fail("unbalanced '('");
  return ::testing::AssertionSuccess();
}

std::string tr(const std::string &src, Dialect d) {
  ExprTranslation t = translate_check(src, d, resolve);
  switch (t.outcome) {
    case ExprOutcome::Translated: {
      EXPECT_TRUE(single_expression(t.expr)) << "source: " << src;
      EXPECT_TRUE(t.reason.empty());
      return t.expr;
    }
    case ExprOutcome::Redundant:
      return "REDUNDANT: " + t.reason;
    case ExprOutcome::Refused:
      EXPECT_FALSE(t.reason.empty());
      EXPECT_LE(t.reason.size(), 400u) << t.reason;
      return "REFUSED: " + t.reason;
  }
  return "?";
}
std::string my(const std::string &src) {
  return tr(src, Dialect::Mysql);
}
std::string lite(const std::string &src) {
  return tr(src, Dialect::Sqlite);
}
bool refused(const std::string &result) {
  return result.rfind("REFUSED: ", 0) == 0;
}

// ------------------------------------------------------------ typical CHECKs

TEST(ExprTranslate, TypicalMysqlChecks) {
  EXPECT_EQ(my("`price` >= 0"), R"(("price" >= 0))");
  EXPECT_EQ(my("`status` in ('a','b')"), R"(("status" IN ('a', 'b')))");
  EXPECT_EQ(my("`qty` between 1 and 10"), R"(("qty" BETWEEN 1 AND 10))");
  EXPECT_EQ(my("`a` > `b` and `c` is not null"), R"((("a" > "b") AND ("c" IS NOT NULL)))");
  EXPECT_EQ(my("octet_length(`code`) = 3"), R"((octet_length("code") = 3))");
  EXPECT_EQ(my("char_length(`name`) <= 20 AND `price` > 0.5"),
            R"(((char_length("name") <= 20) AND ("price" > 0.5)))");
  // As MariaDB prints them in CHECK_CLAUSE.
  EXPECT_EQ(my("`price` >= 0 and (`qty` is null or `qty` <= `price`)"),
            R"((("price" >= 0) AND (("qty" IS NULL) OR ("qty" <= "price"))))");
  EXPECT_EQ(
      my("`n` MOD 2 = 0 and `n` DIV 2 > -1.5e3 and `n` <> 3 and `n` is not null"),
      R"(((((("n" % 2) = 0) AND (("n" / 2) > (-1.5e3))) AND ("n" <> 3)) AND ("n" IS NOT NULL)))");
  EXPECT_EQ(my("`qty` <= 2 * `n`"), R"(("qty" <= (2 * "n")))");
  EXPECT_EQ(my("`qty` not between 1 and 2 and `n` not in (3, 4)"),
            R"((("qty" NOT BETWEEN 1 AND 2) AND ("n" NOT IN (3, 4))))");
  EXPECT_EQ(my("`status` in ('a','b\\'c',_utf8mb4'x','d\"e')"),
            R"(("status" IN ('a', 'b''c', 'x', 'd"e')))");
  EXPECT_EQ(my("!(`flag`) && `qty` != -1"), R"(((NOT "flag") AND ("qty" <> (-1))))");
  EXPECT_EQ(my("`flag` or not `flag`"), R"(("flag" OR (NOT "flag")))");
  EXPECT_EQ(my("`d` >= '2000-01-01'"), R"(("d" >= '2000-01-01'))");
  EXPECT_EQ(my("`code` like 'A_%'"), R"(("code" LIKE 'A_%'))");
  EXPECT_EQ(my("coalesce(`qty`, 0) >= 0 and ifnull(`price`, 1) > 0"),
            R"(((coalesce("qty", 0) >= 0) AND (coalesce("price", 1) > 0)))");
  EXPECT_EQ(my("trim(`code`) <> '' and abs(`qty`) < 100"),
            R"(((btrim("code") <> '') AND (abs("qty") < 100)))");
  EXPECT_EQ(my("`QTY` >= +5 AND `Mixed Case` = 'x'"), R"((("qty" >= 5) AND ("mixed case" = 'x')))");
  EXPECT_EQ(my("`kind` = 'suite' or `kind` is null"),
            R"((("kind" = 'suite') OR ("kind" IS NULL)))");
  EXPECT_EQ(my("json_valid(`doc`)"), "REDUNDANT: the column is jsonb, which holds only valid JSON");
}

TEST(ExprTranslate, TypicalSqliteChecks) {
  EXPECT_EQ(lite("price >= 0"), R"(("price" >= 0))");
  EXPECT_EQ(lite("status IN ('a', 'b')"), R"(("status" IN ('a', 'b')))");
  EXPECT_EQ(lite("qty BETWEEN 1 AND 10"), R"(("qty" BETWEEN 1 AND 10))");
  EXPECT_EQ(lite("\"a\" > [b] AND `c` IS NOT NULL"), R"((("a" > "b") AND ("c" IS NOT NULL)))");
  EXPECT_EQ(lite("length(name) < 10 AND length(blob) = 16"),
            R"(((char_length("name") < 10) AND (octet_length("blob") = 16)))");
  EXPECT_EQ(lite("qty == 1 OR qty % 2 = 0 OR qty / 2 > 3"),
            R"(((("qty" = 1) OR (("qty" % 2) = 0)) OR (("qty" / 2) > 3)))");
  EXPECT_EQ(lite("(a + 1) > 0"), R"((("a" + 1) > 0))");
  EXPECT_EQ(lite("upper(code) = code"), R"((upper("code" COLLATE "C") = "code"))");
  EXPECT_EQ(lite("code LIKE '___-%'"), R"(("code" LIKE '___-%'))");
  EXPECT_EQ(lite("name <> 'it''s'"), R"(("name" <> 'it''s'))");
  EXPECT_EQ(lite("name <> '\\'"), R"(("name" <> E'\\'))");  // no backslash escapes in SQLite
  EXPECT_EQ(lite("\"a\"\"b\" > 0 AND `it``s` > 0"), R"((("a""b" > 0) AND ("it`s" > 0)))");
  EXPECT_EQ(lite("[x; DROP] > 0"), R"(("x; drop" > 0))");
  EXPECT_EQ(lite("flag = TRUE"), R"(("flag" = TRUE))");
  EXPECT_EQ(lite("json_valid(doc)"),
            "REDUNDANT: the column is jsonb, which holds only valid JSON (json_valid(NULL) is 0 in "
            "older SQLite versions, so the source may also have refused NULL: add NOT NULL if that "
            "mattered)");
  EXPECT_EQ(lite("NOT (a > 0 AND b > 0)"), R"((NOT (("a" > 0) AND ("b" > 0))))");
}

// ------------------------------------------------------------ hostile corpus

TEST(ExprTranslate, MysqlBackslashQuoteStaysInsideTheLiteral) {
  // MariaDB reports a quote inside a literal as \'. Read with MySQL's rules the
  // whole payload is one string, re-quoted for PostgreSQL.
  EXPECT_EQ(my(R"(`name` <> '\'); CREATE ROLE x SUPERUSER LOGIN PASSWORD $$x$$; --')"),
            R"(("name" <> '''); CREATE ROLE x SUPERUSER LOGIN PASSWORD $$x$$; --'))");
  EXPECT_EQ(my(R"(`name` <> 'a\\'); CREATE ROLE x; --')"), "REFUSED: a semicolon");
  EXPECT_EQ(my(R"(`name` <> '\'' OR 1=1 --')"), "REFUSED: '--' (a comment, or two minus signs)");
  EXPECT_EQ(my(R"(`name` <> 'a\\b')"), R"(("name" <> E'a\\b'))");
  EXPECT_EQ(my(R"(`name` <> 'a\nb\tc\Z\%\_\x\u0027')"),
            "(\"name\" <> E'a\nb\tc\x1A\\\\%\\\\_xu0027')");
  EXPECT_EQ(my(R"(`name` <> '\0')"), "REFUSED: a NUL character (\\0) in a string literal");
  EXPECT_EQ(my(R"(`name` <> 'abc\')"), "REFUSED: an unterminated string literal");
  EXPECT_EQ(my(R"(`name` <> 'abc)"), "REFUSED: an unterminated string literal");
}

TEST(ExprTranslate, SqliteNestedCommentIsRefused) {
  // SQLite comments do not nest, PostgreSQL's do: no comment is ever accepted.
  EXPECT_EQ(lite("name <> 'a' /* /* */ ) ; CREATE ROLE x SUPERUSER LOGIN; /* */"),
            "REFUSED: a comment ('/*')");
  EXPECT_EQ(lite("name <> 'a' -- c"), "REFUSED: '--' (a comment, or two minus signs)");
  EXPECT_EQ(lite("name <> 'a' /* unterminated"), "REFUSED: a comment ('/*')");
  EXPECT_EQ(lite("qty > 0 */"), "REFUSED: a comment delimiter '*/'");
  EXPECT_EQ(my("`qty` > 0 # c"), "REFUSED: a comment ('#')");
  EXPECT_EQ(my("`qty` > 0 /*!50000 OR 1 */"), "REFUSED: a comment ('/*')");
  EXPECT_EQ(my("`qty` > - -1"), R"(("qty" > (-(-1))))");
  EXPECT_EQ(my("`qty` > --1"), "REFUSED: '--' (a comment, or two minus signs)");
  // A SQLite '\' is a plain character: the literal ends at the next quote.
  EXPECT_EQ(lite(R"(name <> '\'); CREATE ROLE x; --')"), "REFUSED: a semicolon");
}

TEST(ExprTranslate, HostileCorpusIsRefused) {
  struct Case {
    std::string src;
    std::string reason;
  };
  using D = Dialect;
  // Reasons several cases share.
  const std::string kDivisor =
      " only as an integer expression by a non-zero integer literal (division by zero and "
      "non-integer operands behave differently)";
  const std::string kOrder = " (the order depends on collation or type)";
  const std::string kBars =
      "'|' or '||' (bit operator or string concatenation, which differ by dialect)";
  const std::string kJsonValid =
      "json_valid() other than alone on a column that is jsonb in PostgreSQL";
  const std::vector<Case> mysql_cases = {
      {"`qty` > 0; DROP TABLE t", "a semicolon"},
      {"`name` <> $$a$$", "'$' (dollar quoting or a parameter)"},
      {"`name` <> E'\\''", "a prefixed string literal (E'...')"},
      {"`name` <> U&'x'", "the bit operator '&'"},
      {"`name` <> N'x'", "a prefixed string literal (N'...')"},
      {"`name` <> \"x\"",
       "double-quoted text (a string or an identifier, depending on the MySQL sql_mode)"},
      {"`name` <> _latin1'x'", "the character set introducer _latin1"},
      {"`name` <> _binary'x'", "the character set introducer _binary"},
      {"`name` <> x'41'", "a hexadecimal or bit string literal"},
      {"`name` <> b'1'", "a hexadecimal or bit string literal"},
      {"`qty` <> 0x41", "a hexadecimal or bit literal"},
      {"`name` <> 'a' 'b'", "adjacent string literals"},
      {"`qty` > 0 || 1", kBars},
      {"`qty` <=> 1", "the null-safe equality '<=>'"},
      {"`code` regexp '^a'", "unexpected 'regexp'"},
      {"`t`.`qty` > 0", "a qualified name or a stray '.'"},
      {"(select 1) > 0", "a subquery"},
      {"`qty` in (select 1)", "a subquery"},
      {"`qty` > 0 and sleep(10)", "the function sleep() is not translated"},
      {"`nosuch` > 0", "\"nosuch\" is not a column of the table"},
      {"[qty] > 0", "'[' is not MySQL syntax"},
      {"`qty` > @x", "unexpected character '@'"},
      {"`qty` > \\N", "a backslash outside a string literal"},
      {"`flag` is true", "IS other than NULL"},
      {"`code` collate utf8mb4_bin = 'a'", "unexpected 'collate'"},
      {"`qty` / 2 > 1",
       "'/' (MySQL divides exactly, PostgreSQL truncates integer division; division by zero "
       "differs)"},
      {"`qty` DIV `n` = 1", "DIV" + kDivisor},
      {"`status` like 'a%'",
       "LIKE on a column whose MySQL collation (utf8mb4_general_ci) may ignore case or accents"},
      {"`code` like 'a\\\\%'", "a LIKE pattern with a backslash (escape rules differ)"},
      {"`code` like 'a%' escape '!'", "LIKE ... ESCAPE"},
      {"`code` like `name`", "LIKE with a pattern that is not a string literal"},
      {"length(`latin`) < 5",
       "length() counts bytes in the column's MySQL character set; translated only for a UTF-8 or "
       "binary column"},
      {"ucase(`code`) = `code`",
       "ucase() follows the MySQL collation's case rules, which PostgreSQL's locale may not share"},
      {"`status` < 'm'", "an ordering comparison of text values" + kOrder},
      {"`kind` > 'a'", "an ordering comparison of enum values" + kOrder},
      {"`ts` > '2020-01-01'",
       "a timestamp with time zone compared with a string literal (its meaning depends on the time "
       "zone)"},
      {"`qty` = '5'", "comparing integer with a string literal"},
      {"`flag` = 1", "comparing boolean with integer"},
      {"`qty` = TRUE", "comparing integer with boolean"},
      {"`status` = 5", "comparing text with integer"},
      {"`blob` = 'x'", "comparing binary values is not translated"},
      {"`ip` = 'x'", "comparing other-typed values is not translated"},
      {"`doc` = '{}'", "comparing JSON values is not translated"},
      {"'a' = 'a'", "comparing two string literals"},
      {"`d` + 1 > `d`", "'+' needs numbers (got date)"},
      {"json_valid(`doc`) and `qty` > 0", kJsonValid},
      {"json_valid(`name`)", kJsonValid},
      {"case when `qty` > 0 then 1 else 0 end = 1", "the keyword case is not translated"},
      {"cast(`qty` as char) = '1'", "expected ')' but found 'as'"},
      {"(`a`, `b`) = (1, 2)", "a row constructor '(a, b)'"},
      {"`qty` in ()", "an empty IN list"},
      {"`qty` > 1abc", "a malformed number (1a)"},
      {"`qty` > 1e", "a malformed number"},
      {"`qty` > 1.2.3", "a malformed number (1.2.)"},
      {"`qty` > " + std::string(61, '9'), "a number with too many digits"},
      {"`qty` -> '$.a'", "the JSON operator '->'"},
      {"`qty` > 0 xor `qty` < 5", "unexpected 'xor'"},
      {"`qty` & 1 = 0", "the bit operator '&'"},
      {"`qty` << 1 > 0", "the shift operator '<<'"},
      {"~`qty` > 0", "unexpected character '~'"},
      {"abs(`qty`, 1) > 0", "abs() with 2 arguments is not translated"},
      {"coalesce(`qty`) > 0", "coalesce() with fewer than two arguments"},
      {"count(distinct `qty`) > 0", "DISTINCT or a subquery in a call"},
  };
  const std::vector<Case> sqlite_cases = {
      {"qty > 0; DROP TABLE t", "a semicolon"},
      {"name <> $1", "'$' (dollar quoting or a parameter)"},
      {"name$x <> 'a'", "'$' in an identifier"},
      {"name <> E'x'", "a prefixed string literal (E'...')"},
      {"name <> U&'\\0041'", "the bit operator '&'"},
      {"blob <> X'00'", "a blob literal"},
      {"qty <> 0x10", "a hexadecimal or bit literal"},
      {"name || 'x' <> ''", kBars},
      {"code GLOB 'a*'", "unexpected 'GLOB'"},
      {"typeof(qty) = 'integer'", "the function typeof() is not translated"},
      {"`evil`(qty) > 0", "a call of a quoted (user-defined) function"},
      {"\"nosuch\" = 1", "\"nosuch\" is not a column of the table"},
      {"name = \"some text\"", "\"some text\" is not a column of the table"},
      {"[we]]ird] > 0", "unexpected character ']'"},
      {"`unterminated > 0", "an unterminated quoted identifier"},
      {"\"unterminated > 0", "an unterminated quoted identifier"},
      {"[unterminated > 0", "an unterminated quoted identifier"},
      {"`` > 0", "an empty quoted identifier"},
      {"qty > 0)", "unexpected ')'"},
      {"(qty > 0", "expected ')' but found the end of the expression"},
      {"", "an empty expression"},
      {"   ", "an empty expression"},
      {"qty", "not a boolean expression"},
      {"name = 'x' AND qty", "AND needs boolean operands (got integer)"},
      {"qty > 0 ? 1 : 0", "unexpected character '?'"},
      {"qty IS 1", "IS other than NULL"},
      {"qty IS NOT DISTINCT FROM 1", "IS NOT other than NULL"},
      {"a = b = 1", "unexpected '='"},
      {"a < b < 3", "unexpected '<'"},
      {"qty / 0 > 1", "'/'" + kDivisor},
      {"price % 2 = 0", "'%' (MOD)" + kDivisor},
      {"name LIKE 'a%'", "a LIKE pattern with letters (SQLite's LIKE ignores ASCII case)"},
      {"current_date > d", "the keyword current_date is not translated"},
      {"!(qty > 0)", "unexpected character '!'"},
      {"qty > 0 && qty < 5", "the bit operator '&'"},
  };
  auto expect_refused = [&](Dialect d, const std::vector<Case> &cases) {
    for (const Case &c : cases) {
      std::string got = tr(c.src, d);
      EXPECT_EQ(got, "REFUSED: " + c.reason) << "source: " << c.src;
    }
  };
  expect_refused(D::Mysql, mysql_cases);
  expect_refused(D::Sqlite, sqlite_cases);
}

TEST(ExprTranslate, BytesTheLexerRefuses) {
  EXPECT_EQ(my(std::string("`qty` > 0\0; DROP TABLE t", 24)), "REFUSED: a NUL byte");
  EXPECT_EQ(my(std::string("`name` <> 'a\0b'", 15)), "REFUSED: a NUL byte");
  EXPECT_EQ(my("`name` <> '\xC3\x28'"), "REFUSED: not valid UTF-8");
  EXPECT_EQ(my("`name` <> '\xED\xA0\x80'"), "REFUSED: not valid UTF-8");  // a surrogate
  EXPECT_EQ(my("`name` <> '\xC0\xA7'"), "REFUSED: not valid UTF-8");      // overlong quote
  EXPECT_EQ(lite("qty > 0\x01"), "REFUSED: a control character outside a string literal");
  EXPECT_EQ(lite("qty >\x0b"
                 "0"),
            "REFUSED: a control character outside a string literal");
  // Inside a literal, control characters and any UTF-8 are data.
  EXPECT_EQ(lite("name <> '\x01\xE2\x80\xAE\xC3\xA9'"), "(\"name\" <> '\x01\xE2\x80\xAE\xC3\xA9')");
  EXPECT_EQ(lite("name\xC3\xA9 > 0"), "REFUSED: \"name\xC3\xA9\" is not a column of the table");
}

TEST(ExprTranslate, LimitsOnLengthAndDepth) {
  std::string longer = "`qty` > 0";
  while (longer.size() <= kMaxCheckExprBytes) longer += " AND `qty` > 0";
  EXPECT_EQ(my(longer), "REFUSED: longer than 4096 bytes");
  std::string just = "qty > 0";
  while (just.size() + 12 <= kMaxCheckExprBytes) just += " AND qty > 0";
  EXPECT_FALSE(refused(lite(just)));

  auto nest = [](int n, const std::string &open, const std::string &inner,
                 const std::string &close) {
    std::string s;
    for (int i = 0; i < n; i++) s += open;
    s += inner;
    for (int i = 0; i < n; i++) s += close;
    return s;
  };
  EXPECT_EQ(lite(nest(20, "(", "qty > 0", ")")), R"(("qty" > 0))");
  EXPECT_EQ(lite(nest(40, "(", "qty > 0", ")")), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite(nest(1000, "(", "qty > 0", ")")), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite(nest(2000, "(", "qty > 0", ")")), "REFUSED: more than 2048 tokens");
  EXPECT_EQ(lite(nest(1500, "(", "", "")), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite(nest(1000, "NOT ", "qty > 0", "")), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite(nest(1500, "- ", "qty", "") + " > 0"), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite(nest(600, "abs(", "qty", ")") + " > 0"), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite(nest(300, "qty IN (", "1", ")")), "REFUSED: nested deeper than 32 levels");
  EXPECT_EQ(lite("qty > 0" + nest(1000, "", "", ")")), "REFUSED: unexpected ')'");
  std::string many = "qty IN (1";
  for (int i = 0; i < 1100; i++) many += ",1";
  EXPECT_EQ(lite(many + ")"), "REFUSED: more than 2048 tokens");
  // Long chains are loops, not recursion: fine up to the length limit.
  std::string chain = "qty";
  while (chain.size() + 5 < 3000) chain += " + 1";
  EXPECT_FALSE(refused(lite(chain + " > 0")));
}

// Random token soups over the dangerous fragments: never a crash, and every
// translation is one PostgreSQL expression.
TEST(ExprTranslate, RandomFragmentsStaySafe) {
  const std::vector<std::string> frags = {"'",         "\\'",      "''",         "\"",
                                          "`",         "``",       "[",          "]",
                                          "(",         ")",        ",",          ";",
                                          "--",        "-",        "/*",         "*/",
                                          "#",         "$$",       "$",          "E'",
                                          "U&'",       "\\",       "\\\\",       "x'",
                                          "_utf8mb4'", "0x1",      "1",          "0",
                                          "1.5e3",     " ",        "\n",         "qty",
                                          "name",      "`it``s`",  "\"a\"\"b\"", "[x; DROP]",
                                          "AND",       "OR",       "NOT",        "IS",
                                          "NULL",      "IN",       "BETWEEN",    "LIKE",
                                          "=",         "<>",       "<",          ">=",
                                          "+",         "*",        "%",          "/",
                                          "!",         "&&",       "||",         "abs(",
                                          "coalesce(", "length(",  "lower(",     "char_length(",
                                          "'a'",       "'\\''",    "'x''y'",     "CREATE ROLE x",
                                          "DROP",      "TRUE",     "MOD",        "DIV",
                                          ".",         "\xC3\xA9", "\x01"};
  uint64_t seed = 88172645463325252ull;
  auto rnd = [&]() {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    return seed;
  };
  int translated = 0;
  for (int round = 0; round < 20000; round++) {
    std::string src;
    size_t n = 1 + rnd() % 14;
    for (size_t i = 0; i < n; i++) src += frags[rnd() % frags.size()];
    for (Dialect d : {Dialect::Mysql, Dialect::Sqlite}) {
      ExprTranslation t = translate_check(src, d, resolve);
      if (t.outcome == ExprOutcome::Translated) {
        translated++;
        ASSERT_TRUE(single_expression(t.expr)) << "source: " << src;
      } else {
        ASSERT_FALSE(t.reason.empty()) << "source: " << src;
      }
    }
  }
  EXPECT_GT(translated, 0);
}

TEST(ExprTranslate, CollationCaveats) {
  ExprTranslation t = translate_check("`status` in ('a','b') and `code` = 'x' and `c` <> 'y'",
                                      Dialect::Mysql, resolve);
  ASSERT_EQ(t.outcome, ExprOutcome::Translated);
  ASSERT_EQ(t.caveats.size(), 2u);  // status and c; code is utf8mb4_bin
  EXPECT_NE(t.caveats[0].find("\"status\""), std::string::npos);
  EXPECT_NE(t.caveats[0].find("utf8mb4_general_ci"), std::string::npos);
  EXPECT_NE(t.caveats[1].find("\"c\""), std::string::npos);
  EXPECT_TRUE(translate_check("status IN ('a')", Dialect::Sqlite, resolve).caveats.empty());
}

TEST(ExprTranslate, TypesOfPgTypes) {
  EXPECT_EQ(expr_type_of_pg_type("integer"), ExprType::Integer);
  EXPECT_EQ(expr_type_of_pg_type("numeric(10,2)"), ExprType::Number);
  EXPECT_EQ(expr_type_of_pg_type("character varying(20)"), ExprType::Text);
  EXPECT_EQ(expr_type_of_pg_type("timestamp with time zone"), ExprType::Timestamp);
  EXPECT_EQ(expr_type_of_pg_type("timestamp(3) without time zone"), ExprType::LocalTimestamp);
  EXPECT_EQ(expr_type_of_pg_type("time without time zone"), ExprType::Time);
  EXPECT_EQ(expr_type_of_pg_type("text[]"), ExprType::Other);
  EXPECT_EQ(expr_type_of_pg_type("citext"), ExprType::Other);
  EXPECT_EQ(expr_type_of_pg_type("jsonb"), ExprType::Json);
  EXPECT_EQ(expr_type_of_pg_type("rooms_kind", true), ExprType::Enum);
}

TEST(ExprTranslate, NoteExcerpt) {
  EXPECT_EQ(note_excerpt("short"), "short");
  EXPECT_EQ(note_excerpt(std::string(300, 'x')), std::string(200, 'x') + "...");
  EXPECT_EQ(note_excerpt("a\nb\x01"
                         "c\xFF"),
            "a b c?");
  EXPECT_EQ(note_excerpt("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9...");  // cut at a character boundary
  EXPECT_EQ(note_excerpt(std::string("a\0b", 3)), "a b");
}

// The type mappings can only give fixed type names or ones built from parsed
// integers, whatever the source declares.
TEST(ExprTranslate, TypeMappingsNeverPassSourceText) {
  const char *hostile[] = {"DECIMAL(10,2); DROP TABLE t",
                           "NUMERIC(1) ); CREATE ROLE x; --",
                           "DECIMAL(10,2)); CREATE ROLE x; --(",
                           "VARCHAR(10) COLLATE \"x\"",
                           "INT\"; DROP",
                           "x'00'",
                           "DECIMAL(99999999999999999999,1)",
                           "DECIMAL(-1,2)",
                           "JSON; --",
                           "BOOLEAN DEFAULT 1"};
  const std::set<std::string> fixed = {"boolean",
                                       "timestamp with time zone",
                                       "date",
                                       "time without time zone",
                                       "jsonb",
                                       "bigint",
                                       "double precision",
                                       "text",
                                       "bytea",
                                       "numeric"};
  for (const char *h : hostile) {
    std::string t = sqlite_type_to_pg(h);
    bool ok = fixed.count(t) > 0;
    if (!ok && t.rfind("numeric(", 0) == 0) {
      ok = t.back() == ')' &&
           t.substr(8, t.size() - 9).find_first_not_of("0123456789,") == std::string::npos;
    }
    EXPECT_TRUE(ok) << h << " -> " << t;
  }
  MysqlColumnInfo c;
  c.data_type = "varchar";
  c.column_type = "varchar(10); DROP TABLE t";
  c.char_max_length = 10;
  EXPECT_EQ(mysql_to_pg_type(c).type, "character varying(10)");
  c.data_type = "evil); DROP TABLE t; --";
  EXPECT_EQ(mysql_to_pg_type(c).type, "text");
  c.data_type = "bit";
  c.column_type = "bit(5); DROP";
  EXPECT_EQ(mysql_to_pg_type(c).type, "bit varying(5)");
}

}  // namespace
}  // namespace minibar
