// SQLite declared types: affinity (SQLite's own rules) and the default
// PostgreSQL type per the documented mapping (docs/migration.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace minibar {

enum class SqliteAffinity { Integer, Text, Blob, Real, Numeric };

// The column affinity SQLite derives from a declared type (datatype3.html, 3.1):
// "INT" -> Integer; "CHAR"/"CLOB"/"TEXT" -> Text; "BLOB" or empty -> Blob;
// "REAL"/"FLOA"/"DOUB" -> Real; anything else -> Numeric. Case-insensitive.
SqliteAffinity sqlite_affinity(std::string_view declared_type);

// The PostgreSQL type (SQL text, e.g. "bigint", "numeric(10,2)") that a SQLite
// column with this declared type is imported as. Named types are recognised
// before affinity: BOOL/BOOLEAN -> boolean; DATETIME/TIMESTAMP -> timestamp with
// time zone; DATE -> date; TIME -> time without time zone; JSON/JSONB -> jsonb;
// DECIMAL(p,s)/NUMERIC(p,s) -> numeric(p,s). Otherwise by affinity: Integer ->
// bigint, Real -> double precision, Text -> text, Blob -> bytea (an empty
// declared type -> text, since such a column holds anything), Numeric -> numeric.
std::string sqlite_type_to_pg(std::string_view declared_type);

// What a SQLite column actually stores (SQLite keeps any value in any
// column): counts per storage class and, for numbers, their decimal shape.
// Measured by the query of sqlite_profile_sql.
struct SqliteValueProfile {
  int64_t integers = 0, reals = 0, texts = 0, blobs = 0;
  int64_t texts_not_uuid = 0;    // text values that are not UUID text (8-4-4-4-12 hex)
  int64_t texts_not_number = 0;  // text values that do not look like a decimal number
  int64_t misfits = 0;           // numbers a declared numeric(p,s) would not hold as they are
  int64_t exponents = 0;         // numbers whose text has an exponent (1e+20)
  int64_t max_scale = 0;         // most digits after the point (trailing zeros left out)
  int64_t max_int_digits = 0;    // most digits before the point (leading zeros left out)
};

// True when the type a migration creates for a column declared like this
// depends on what the column holds: no declared type, NUMERIC affinity
// (numeric, numeric(p,s), and names SQLite does not know, such as uuid or
// string).
bool sqlite_type_depends_on_values(std::string_view declared_type);

// One scan over table measuring, per column given as (name, declared type),
// the ten numbers of a SqliteValueProfile in this order: integers, reals,
// texts, blobs, texts_not_uuid (declared uuid only), texts_not_number
// (NUMERIC affinity only), misfits, exponents, max_scale, max_int_digits
// (the last four for numeric(p,s) only, over the values numeric(p,s) would
// not hold: round(v, s) <> v, |v| >= 10^(p-s), or numeric-looking text);
// 0 where the declared type does not need the number. Each value pays only
// for the tests of its storage class (text tests on text, round() on
// numbers). Names quoted.
std::string sqlite_profile_sql(const std::string &table,
                               const std::vector<std::pair<std::string, std::string>> &columns);
constexpr int kSqliteProfileFields = 10;
// The profile from the kSqliteProfileFields numbers of one column, in the
// order above.
SqliteValueProfile sqlite_profile_of(const int64_t *fields);

struct SqliteTypeChoice {
  std::string type;  // PostgreSQL type
  std::string note;  // why, when it is not the declared type's mapping; else empty
};

// The PostgreSQL type that holds every value the column stores, and why when
// it differs from sqlite_type_to_pg(declared_type):
// - declared uuid: uuid when every value is UUID text; bytea when it holds
//   blobs (16-byte binary UUIDs keep their bytes; text is kept as its UTF-8
//   bytes); text otherwise;
// - no declared type: bytea when it holds blobs; text when it holds text;
//   bigint for integers only, double precision for reals only, numeric for
//   both; text when empty;
// - NUMERIC affinity: bytea with blobs; text with text that is not a number;
//   numeric(p,s) widened to the scale and integer digits the values need
//   (plain numeric when a value has an exponent or needs more than 1000
//   digits).
SqliteTypeChoice sqlite_type_for_values(std::string_view declared_type,
                                        const SqliteValueProfile &values);

}  // namespace minibar
