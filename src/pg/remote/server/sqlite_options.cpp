#include "pg/remote/server/sqlite_options.hpp"

#include "pg/base/fdw_options.hpp"
#include "pg/base/guard.hpp"

namespace minibar::pg {

namespace {

const OptionSpec kOptions[] = {
    {"database", ForeignServerRelationId},       {"busy_timeout", ForeignServerRelationId},
    {"trusted_schema", ForeignServerRelationId}, {"table_name", ForeignTableRelationId},
    {"column_name", AttributeRelationId},
};

int parse_busy_timeout(DefElem *def) {
  return parse_int_option(def, 0, INT_MAX, "a number of milliseconds");
}

}  // namespace

void sqlite_validate_options(List *options, Oid context) {
  ListCell *cell;
  foreach (cell, options) {
    auto *def = static_cast<DefElem *>(lfirst(cell));
    find_option(def, context, kOptions, lengthof(kOptions), "minibar_sqlite");
    if (strcmp(def->defname, "database") == 0 || strcmp(def->defname, "trusted_schema") == 0) {
      // Reading a file of the server's host is a privilege (docs/security.md).
      if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("permission denied to set option \"%s\" of a minibar_sqlite server",
                        def->defname),
                 errdetail("The file is opened by the database server, so only superusers and "
                           "members of pg_read_server_files may name it.")));
      if (strcmp(def->defname, "trusted_schema") == 0) {
        (void)defGetBoolean(def);
        continue;
      }
      const char *path = defGetString(def);
      if (!is_absolute_path(path))
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                        errmsg("option \"database\" must be an absolute path: \"%s\"", path)));
    } else if (strcmp(def->defname, "busy_timeout") == 0) {
      parse_busy_timeout(def);
    } else {
      const char *value = defGetString(def);
      if (value[0] == '\0')
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                        errmsg("option \"%s\" must not be empty", def->defname)));
    }
  }
}

void sqlite_server_config(Oid serverid, SqliteServerConfig *out) {
  ForeignServer *server = GetForeignServer(serverid);
  out->server_name = server->servername;
  out->database = nullptr;
  out->busy_timeout_ms = 5000;
  out->trusted_schema = false;
  ListCell *cell;
  foreach (cell, server->options) {
    auto *def = static_cast<DefElem *>(lfirst(cell));
    if (strcmp(def->defname, "database") == 0) out->database = defGetString(def);
    if (strcmp(def->defname, "busy_timeout") == 0) out->busy_timeout_ms = parse_busy_timeout(def);
    if (strcmp(def->defname, "trusted_schema") == 0) out->trusted_schema = defGetBoolean(def);
  }
  if (!out->database)
    ereport(ERROR,
            (errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
             errmsg("minibar_sqlite server \"%s\" has no \"database\" option", server->servername),
             errhint("ALTER SERVER %s OPTIONS (ADD database '/path/to/file.db');",
                     quote_identifier(server->servername))));
}

const char *sqlite_remote_table(Oid relid) {
  ForeignTable *table = GetForeignTable(relid);
  const char *name = option_value(table->options, "table_name");
  return name ? name : get_rel_name(relid);
}

const char *sqlite_remote_column(Oid relid, AttrNumber attnum) {
  const char *name = option_value(GetForeignColumnOptions(relid, attnum), "column_name");
  return name ? name : get_attname(relid, attnum, false);
}

std::unique_ptr<SqliteDatabase> sqlite_open(const SqliteServerConfig &config) {
  SqliteDatabase::Options o;
  o.path = config.database ? config.database : "";
  o.busy_timeout_ms = config.busy_timeout_ms;
  o.trusted_schema = config.trusted_schema;
  o.interrupt_requested = [] { return interrupt_pending(); };
  o.label = std::string("minibar_sqlite server \"") + config.server_name + "\"";
  return std::make_unique<SqliteDatabase>(std::move(o));
}

}  // namespace minibar::pg
