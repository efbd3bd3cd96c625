// The default MySQL/MariaDB -> PostgreSQL type mapping (docs/migration.md), decided from
// information_schema.COLUMNS, as IMPORT FOREIGN SCHEMA and the migration use
// it. Pure C++, unit-tested.
#pragma once

#include <optional>
#include <string>

namespace minibar {

struct MysqlColumnInfo {
  std::string data_type;    // information_schema DATA_TYPE, e.g. "int", "varchar"
  std::string column_type;  // COLUMN_TYPE, e.g. "int(10) unsigned", "enum('a','b')"
  std::optional<long long> char_max_length;  // CHARACTER_MAXIMUM_LENGTH
  std::optional<long long> numeric_precision, numeric_scale;
  bool is_json = false;  // MariaDB JSON (a LONGTEXT with a json_valid() check)
};

struct PgTypeChoice {
  std::string type;    // PostgreSQL type, e.g. "numeric(20,0)", "character varying(20)"
  std::string notice;  // non-empty when the type has no faithful mapping
};

PgTypeChoice mysql_to_pg_type(const MysqlColumnInfo &column);

// A MySQL column default (information_schema COLUMN_DEFAULT as MariaDB >= 10.2.7
// shows it: NULL, numbers, 'quoted text', current_timestamp(...)) as a
// PostgreSQL default expression for pg_type, when the translation is exact;
// nullopt otherwise (the default is then left off).
std::optional<std::string> mysql_default_to_pg(const std::string &column_default,
                                               const std::string &pg_type);

// One quoted SQL string literal as a catalog shows it ('it''s') -> its text
// (it's). With backslash_escapes (MySQL), a backslash escapes the next byte:
// \n \t \r \0 \Z as MySQL reads them, any other byte as itself. nullopt when s
// is not exactly one such literal, or its text would hold a NUL (which
// PostgreSQL text cannot).
std::optional<std::string> unquote_sql_string(const std::string &s, bool backslash_escapes);

}  // namespace minibar
