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

}  // namespace minibar
