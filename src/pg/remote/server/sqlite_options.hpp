// Options of the minibar_sqlite wrapper: validation and look-up.
#pragma once

#include <memory>

#include "core/sqlite/client.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

// The wrapper's validator: checks each option of a CREATE/ALTER of the
// wrapper, a server, a user mapping, a foreign table or a column (context:
// the catalog it goes in). PostgreSQL calls (ereports).
void sqlite_validate_options(List *options, Oid context);

// Server-level settings, palloc'd in the current memory context.
struct SqliteServerConfig {
  const char *server_name;
  const char *database;  // absolute path, or nullptr when not set
  int busy_timeout_ms;
  bool trusted_schema;  // the file's schema may call non-innocuous functions
};

// Reads the server's options (PostgreSQL calls; use outside C++ object scopes
// or inside pg_call). Errors when `database` is missing.
void sqlite_server_config(Oid serverid, SqliteServerConfig *out);

// Remote names: the table_name / column_name option, else the local name.
const char *sqlite_remote_table(Oid relid);
const char *sqlite_remote_column(Oid relid, AttrNumber attnum);

// Opens the server's database read-only; a running statement stops when
// PostgreSQL has a cancel or timeout pending. Pure C++ (no PostgreSQL calls).
std::unique_ptr<SqliteDatabase> sqlite_open(const SqliteServerConfig &config);

}  // namespace minibar::pg
