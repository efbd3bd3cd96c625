// SQLite declared types: affinity (SQLite's own rules) and the default
// PostgreSQL type per SPEC's mapping.
#pragma once

#include <string>
#include <string_view>

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

}  // namespace minibar
