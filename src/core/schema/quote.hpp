// Quoting of remote identifiers and literals, per remote dialect.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace minibar {

// SQLite / standard SQL: "name" with embedded double quotes doubled.
std::string sqlite_quote_ident(std::string_view name);

// SQLite string literal: 'text' with embedded single quotes doubled.
std::string sqlite_quote_literal(std::string_view text);

// MySQL/MariaDB identifier: `name` with embedded backticks doubled (valid
// whatever the sql_mode, since ANSI_QUOTES only changes what " means).
std::string mysql_quote_ident(std::string_view name);

// ASCII letters lower-cased, other bytes (UTF-8 included) kept: how
// PostgreSQL folds unquoted identifiers and how MySQL names compare.
std::string ascii_lower(std::string_view text);

// PostgreSQL identifier, always double-quoted (valid whatever the name).
std::string pg_quote_ident(std::string_view name);

// PostgreSQL string literal, valid whatever standard_conforming_strings says:
// 'text' with quotes doubled, or E'...' with backslashes doubled when the text
// has a backslash.
std::string pg_quote_literal(std::string_view text);

// PostgreSQL text[] input: {"a","b\"c"} (every element quoted, quotes and
// backslashes escaped).
std::string pg_text_array_literal(const std::vector<std::string> &items);

// The text of one SQL string literal as a source shows it: 'text' with ''
// doubling and, when backslash_escapes (MySQL), \n \t \r and \x for x
// (ctrl_z: \Z is byte 0x1a, as MariaDB reads it). nullopt when s is not
// exactly one such literal, or the text would hold a NUL (PostgreSQL text
// cannot).
std::optional<std::string> unquote_sql_literal(const std::string &s, bool backslash_escapes,
                                               bool ctrl_z);

}  // namespace minibar
