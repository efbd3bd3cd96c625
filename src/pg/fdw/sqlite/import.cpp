// IMPORT FOREIGN SCHEMA main FROM SERVER ... INTO ...: one CREATE FOREIGN
// TABLE per SQLite table or view, with the type mapping of docs/migration.md and NOT NULL.
#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/schema/quote.hpp"
#include "core/sqlite/types.hpp"
#include "pg/base/guard.hpp"
#include "pg/fdw/sqlite/handler.hpp"
#include "pg/remote/server/sqlite_options.hpp"

namespace minibar::pg {

namespace {

bool wanted(ImportForeignSchemaStmt *stmt, const std::string &table) {
  if (stmt->list_type == FDW_IMPORT_SCHEMA_ALL) return true;
  bool listed = false;
  const ListCell *lc;
  foreach (lc, stmt->table_list) {
    auto *rv = static_cast<const RangeVar *>(lfirst(lc));
    if (table == rv->relname) listed = true;
  }
  return stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO ? listed : !listed;
}

// The column is SQLite's rowid alias ("INTEGER PRIMARY KEY"), which is never NULL.
bool is_rowid_alias(const SqliteColumn &col, const std::vector<SqliteColumn> &cols) {
  if (col.pk_position != 1 || sqlite3_stricmp(col.declared_type.c_str(), "INTEGER") != 0)
    return false;
  for (const auto &c : cols)
    if (c.pk_position > 1) return false;
  return true;
}

}  // namespace

List *sqlite_import_schema(ImportForeignSchemaStmt *stmt, Oid serverOid) {
  return pg_entry([&]() -> List * {
    if (strcmp(stmt->remote_schema, "main") != 0)
      ereport(ERROR, (errcode(ERRCODE_FDW_SCHEMA_NOT_FOUND),
                      errmsg("SQLite database has no schema \"%s\"", stmt->remote_schema),
                      errhint("Import from schema \"main\".")));
    ListCell *lc;
    foreach (lc, stmt->options) {
      auto *def = static_cast<DefElem *>(lfirst(lc));
      ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                      errmsg("invalid IMPORT FOREIGN SCHEMA option \"%s\"", def->defname),
                      errhint("minibar_sqlite takes no import options.")));
    }
    SqliteServerConfig config;
    sqlite_server_config(serverOid, &config);

    List *commands = NIL;
    std::vector<std::string> statements;
    {
      std::unique_ptr<SqliteDatabase> db = sqlite_open(config);
      for (const SqliteTable &table : db->tables()) {
        if (!wanted(stmt, table.name)) continue;
        std::optional<std::vector<SqliteColumn>> cols = db->columns(table.name);
        if (!cols) continue;  // dropped meanwhile
        std::string sql = "CREATE FOREIGN TABLE " + pg_quote_ident(table.name) + " (";
        for (size_t i = 0; i < cols->size(); i++) {
          const SqliteColumn &c = (*cols)[i];
          if (i > 0) sql += ",";
          sql += "\n  " + pg_quote_ident(c.name) + " " + sqlite_type_to_pg(c.declared_type);
          if (c.not_null || is_rowid_alias(c, *cols)) sql += " NOT NULL";
        }
        sql += "\n) SERVER " + pg_quote_ident(config.server_name) + " OPTIONS (table_name " +
               pg_quote_literal(table.name) + ")";
        statements.push_back(std::move(sql));
      }
    }
    pg_call([&] {
      for (const auto &s : statements) commands = lappend(commands, pstrdup(s.c_str()));
    });
    return commands;
  });
}

}  // namespace minibar::pg
