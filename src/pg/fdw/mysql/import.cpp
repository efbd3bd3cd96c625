// IMPORT FOREIGN SCHEMA db FROM SERVER ... INTO ...: one CREATE FOREIGN TABLE
// per MySQL table or view, with the type mapping of docs/migration.md (core/mysql/types).
// Options: import_not_null (default true), import_default (default false),
// lowercase_identifiers (default false). No table or column is skipped
// silently: a type without a mapping becomes text with a NOTICE.
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/convert/number_parse.hpp"
#include "core/mysql/types.hpp"
#include "core/schema/quote.hpp"
#include "pg/base/guard.hpp"
#include "pg/remote/server/mysql_connection.hpp"
#include "pg/fdw/mysql/handler.hpp"
#include "pg/remote/server/mysql_options.hpp"

namespace minibar::pg {

namespace {

struct ImportOptions {
  bool not_null = true;
  bool defaults = false;
  bool lowercase = false;
};

struct ImportColumn {
  std::string name;
  MysqlColumnInfo info;
  bool nullable = true;
  std::optional<std::string> column_default;
};

std::optional<long long> to_ll(const std::optional<std::string> &v) {
  if (!v) return std::nullopt;
  return to_int64(*v);
}

}  // namespace

List *mysql_import_schema(ImportForeignSchemaStmt *stmt, Oid serverOid) {
  return pg_entry([&]() -> List * {
    ImportOptions opts;
    ListCell *lc;
    foreach (lc, stmt->options) {
      auto *def = static_cast<DefElem *>(lfirst(lc));
      if (strcmp(def->defname, "import_not_null") == 0)
        opts.not_null = defGetBoolean(def);
      else if (strcmp(def->defname, "import_default") == 0)
        opts.defaults = defGetBoolean(def);
      else if (strcmp(def->defname, "lowercase_identifiers") == 0)
        opts.lowercase = defGetBoolean(def);
      else
        ereport(
            ERROR,
            (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
             errmsg("invalid IMPORT FOREIGN SCHEMA option \"%s\"", def->defname),
             errhint("Valid options: import_not_null, import_default, lowercase_identifiers.")));
    }
    // PostgreSQL calls that may ereport come before any C++ object exists.
    MysqlServerConfig config;
    mysql_server_config(serverOid, &config);
    // LIMIT TO / EXCEPT names, as written (PostgreSQL filters the result by them too).
    std::vector<std::string> listed;
    foreach (lc, stmt->table_list)
      listed.emplace_back(static_cast<RangeVar *>(lfirst(lc))->relname);
    const char *remote_db = stmt->remote_schema;

    List *commands = NIL;
    std::vector<std::string> statements;
    std::vector<std::string> notices;
    {
      MysqlLease lease = mysql_acquire(config);
      MysqlConnection &c = *lease.conn;
      std::string db = c.quote_literal(remote_db);
      if (c.query("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = " + db).empty())
        throw Error(sqlstate::kFdwSchemaNotFound,
                    c.options().label + ": MySQL database " + mysql_quote_ident(remote_db) +
                        " does not exist or is not visible to user \"" + config.username + "\"");
      // MariaDB's JSON is a LONGTEXT with a json_valid() check.
      std::set<std::pair<std::string, std::string>> json_columns;
      try {
        for (const MysqlRow &r :
             c.query("SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                     "WHERE CONSTRAINT_SCHEMA = " +
                     db)) {
          if (r.size() < 2 || !r[0] || !r[1]) continue;
          const std::string &clause = *r[1];
          if (clause.rfind("json_valid(`", 0) != 0 || clause.size() < 14 ||
              clause.compare(clause.size() - 2, 2, "`)") != 0)
            continue;
          std::string col = clause.substr(12, clause.size() - 14);
          std::string unq;
          for (size_t i = 0; i < col.size(); i++) {
            unq += col[i];
            if (col[i] == '`' && i + 1 < col.size() && col[i + 1] == '`') i++;
          }
          json_columns.insert({*r[0], unq});
        }
      } catch (const Error &) {
        // MySQL (not MariaDB) has no TABLE_NAME there, and a real JSON type instead.
      }
      std::vector<MysqlRow> tables = c.query(
          "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE "
          "TABLE_SCHEMA = " +
          db + " ORDER BY TABLE_NAME");
      std::vector<MysqlRow> columns = c.query(
          "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, "
          "NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT "
          "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
          db + " ORDER BY TABLE_NAME, ORDINAL_POSITION");
      for (const MysqlRow &t : tables) {
        if (t.empty() || !t[0]) continue;
        const std::string &remote = *t[0];
        std::string local = opts.lowercase ? ascii_lower(remote) : remote;
        if (stmt->list_type != FDW_IMPORT_SCHEMA_ALL) {
          bool in_list = false;
          for (const std::string &n : listed)
            if (n == local || n == remote) in_list = true;
          if ((stmt->list_type == FDW_IMPORT_SCHEMA_LIMIT_TO) != in_list) continue;
        }
        std::vector<ImportColumn> cols;
        for (const MysqlRow &r : columns) {
          if (r.size() < 9 || !r[0] || *r[0] != remote || !r[1]) continue;
          ImportColumn col;
          col.name = *r[1];
          col.info.data_type = r[2].value_or("");
          col.info.column_type = r[3].value_or("");
          col.info.char_max_length = to_ll(r[4]);
          col.info.numeric_precision = to_ll(r[5]);
          col.info.numeric_scale = to_ll(r[6]);
          col.info.is_json = json_columns.count({remote, col.name}) > 0;
          col.nullable = r[7].value_or("YES") != "NO";
          col.column_default = r[8];
          cols.push_back(std::move(col));
        }
        if (cols.empty()) continue;  // dropped meanwhile
        std::string sql = "CREATE FOREIGN TABLE " + pg_quote_ident(local) + " (";
        for (size_t i = 0; i < cols.size(); i++) {
          const ImportColumn &col = cols[i];
          PgTypeChoice type = mysql_to_pg_type(col.info);
          if (!type.notice.empty())
            notices.push_back("table " + mysql_quote_ident(remote) + ", column " +
                              mysql_quote_ident(col.name) + ": " + type.notice);
          std::string local_col = opts.lowercase ? ascii_lower(col.name) : col.name;
          sql += i > 0 ? ",\n  " : "\n  ";
          sql += pg_quote_ident(local_col) + " " + type.type;
          if (local_col != col.name)
            sql += " OPTIONS (column_name " + pg_quote_literal(col.name) + ")";
          if (opts.not_null && !col.nullable) sql += " NOT NULL";
          if (opts.defaults && col.column_default) {
            std::optional<std::string> d = mysql_default_to_pg(*col.column_default, type.type);
            if (d) sql += " DEFAULT " + *d;
          }
        }
        sql += "\n) SERVER " + pg_quote_ident(config.server_name) + " OPTIONS (dbname " +
               pg_quote_literal(remote_db) + ", table_name " + pg_quote_literal(remote) + ")";
        statements.push_back(std::move(sql));
      }
    }
    pg_call([&] {
      for (const auto &n : notices) ereport(NOTICE, (errmsg("%s", n.c_str())));
      for (const auto &s : statements) commands = lappend(commands, pstrdup(s.c_str()));
    });
    return commands;
  });
}

}  // namespace minibar::pg
