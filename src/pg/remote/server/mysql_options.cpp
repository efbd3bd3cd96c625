#include "pg/remote/server/mysql_options.hpp"

#include "pg/base/fdw_options.hpp"
#include "pg/base/guard.hpp"
#include "pg/remote/server/mysql_connection.hpp"

namespace minibar::pg {

namespace {

const OptionSpec kOptions[] = {
    {"host", ForeignServerRelationId},
    {"port", ForeignServerRelationId},
    {"dbname", ForeignServerRelationId},
    {"socket", ForeignServerRelationId},
    {"ssl_mode", ForeignServerRelationId},
    {"ssl_ca", ForeignServerRelationId},
    {"ssl_cert", ForeignServerRelationId},
    {"ssl_key", ForeignServerRelationId},
    {"connect_timeout", ForeignServerRelationId},
    {"source_timezone", ForeignServerRelationId},
    {"fetch_size", ForeignServerRelationId},
    {"zero_dates", ForeignServerRelationId},
    {"username", UserMappingRelationId},
    {"password", UserMappingRelationId},
    {"dbname", ForeignTableRelationId},
    {"table_name", ForeignTableRelationId},
    {"column_name", AttributeRelationId},
};

SslMode parse_ssl_mode(const DefElem *def) {
  const char *v = defGetString(const_cast<DefElem *>(def));
  if (strcmp(v, "disable") == 0) return SslMode::Disable;
  if (strcmp(v, "require") == 0) return SslMode::Require;
  if (strcmp(v, "verify-full") == 0 || strcmp(v, "verify_identity") == 0)
    return SslMode::VerifyFull;
  ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                  errmsg("invalid value for option \"ssl_mode\": \"%s\"", v),
                  errhint("Valid values: disable, require (encrypted, certificate not checked), "
                          "verify-full (certificate and host name checked against ssl_ca).")));
  pg_unreachable();
}

bool parse_zero_dates(const DefElem *def) {
  const char *v = defGetString(const_cast<DefElem *>(def));
  if (strcmp(v, "null") == 0) return false;
  if (strcmp(v, "error") == 0) return true;
  ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                  errmsg("invalid value for option \"zero_dates\": \"%s\"", v),
                  errhint("Valid values: null (read zero dates as NULL), error.")));
  pg_unreachable();
}

void check_timezone(const DefElem *def) {
  const char *v = defGetString(const_cast<DefElem *>(def));
  if (!pg_tzset(v))
    ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                    errmsg("invalid value for option \"source_timezone\": \"%s\"", v),
                    errhint("Use a time zone name PostgreSQL knows, e.g. UTC or Europe/Istanbul "
                            "(see pg_timezone_names).")));
}

}  // namespace

void mysql_validate_options(List *options, Oid context) {
  ListCell *cell;
  foreach (cell, options) {
    auto *def = static_cast<DefElem *>(lfirst(cell));
    find_option(def, context, kOptions, lengthof(kOptions), "minibar_mysql");
    const char *name = def->defname;
    if (strcmp(name, "port") == 0) {
      parse_int_option(def, 1, 65535, "a TCP port");
    } else if (strcmp(name, "connect_timeout") == 0) {
      parse_int_option(def, 1, 3600, "a number of seconds");
    } else if (strcmp(name, "fetch_size") == 0) {
      parse_int_option(def, 0, 1000000, "a number of rows (0: stream without a cursor)");
    } else if (strcmp(name, "ssl_mode") == 0) {
      parse_ssl_mode(def);
    } else if (strcmp(name, "zero_dates") == 0) {
      parse_zero_dates(def);
    } else if (strcmp(name, "source_timezone") == 0) {
      check_timezone(def);
    } else if (strcmp(name, "ssl_ca") == 0 || strcmp(name, "ssl_cert") == 0 ||
               strcmp(name, "ssl_key") == 0 || strcmp(name, "socket") == 0) {
      // Files of the database server's host: a privilege, as for COPY FROM a file.
      if (!has_privs_of_role(GetUserId(), ROLE_PG_READ_SERVER_FILES))
        ereport(ERROR,
                (errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
                 errmsg("permission denied to set option \"%s\" of a minibar_mysql server", name),
                 errdetail("The file is opened by the database server, so only superusers and "
                           "members of pg_read_server_files may name it.")));
      if (!is_absolute_path(defGetString(def)))
        ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                        errmsg("option \"%s\" must be an absolute path", name)));
    } else if (strcmp(name, "password") == 0) {
      // Never echo the value.
    } else if (defGetString(def)[0] == '\0') {
      ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                      errmsg("option \"%s\" must not be empty", name)));
    }
  }
}

void mysql_server_config(Oid serverid, MysqlServerConfig *out) {
  mysql_connection_cache_init();  // before any connection is cached
  ForeignServer *server = GetForeignServer(serverid);
  memset(out, 0, sizeof *out);
  out->serverid = serverid;
  out->server_name = server->servername;
  out->host = "127.0.0.1";
  out->port = 3306;
  out->ssl_mode = SslMode::Disable;
  out->connect_timeout = 10;
  out->source_timezone = "UTC";
  ListCell *cell;
  foreach (cell, server->options) {
    auto *def = static_cast<DefElem *>(lfirst(cell));
    const char *n = def->defname;
    if (strcmp(n, "host") == 0) out->host = defGetString(def);
    if (strcmp(n, "port") == 0) out->port = parse_int_option(def, 1, 65535, "a TCP port");
    if (strcmp(n, "dbname") == 0) out->dbname = defGetString(def);
    if (strcmp(n, "socket") == 0) out->socket = defGetString(def);
    if (strcmp(n, "ssl_mode") == 0) out->ssl_mode = parse_ssl_mode(def);
    if (strcmp(n, "ssl_ca") == 0) out->ssl_ca = defGetString(def);
    if (strcmp(n, "ssl_cert") == 0) out->ssl_cert = defGetString(def);
    if (strcmp(n, "ssl_key") == 0) out->ssl_key = defGetString(def);
    if (strcmp(n, "connect_timeout") == 0)
      out->connect_timeout = parse_int_option(def, 1, 3600, "a number of seconds");
    if (strcmp(n, "source_timezone") == 0) out->source_timezone = defGetString(def);
    if (strcmp(n, "fetch_size") == 0)
      out->fetch_size = parse_int_option(def, 0, 1000000, "a number of rows");
    if (strcmp(n, "zero_dates") == 0) out->zero_dates_error = parse_zero_dates(def);
  }

  UserMapping *um = GetUserMapping(GetUserId(), serverid);  // errors when there is none
  out->userid = um->userid;
  out->umid = um->umid;
  foreach (cell, um->options) {
    auto *def = static_cast<DefElem *>(lfirst(cell));
    if (strcmp(def->defname, "username") == 0) out->username = defGetString(def);
    if (strcmp(def->defname, "password") == 0) out->password = defGetString(def);
  }
  if (!out->username) out->username = GetUserNameFromId(GetUserId(), false);
  out->server_hash = GetSysCacheHashValue1(FOREIGNSERVEROID, ObjectIdGetDatum(serverid));
  out->mapping_hash = GetSysCacheHashValue1(USERMAPPINGOID, ObjectIdGetDatum(um->umid));
  // PUBLIC mappings (userid 0) apply to anyone: judge the user actually connecting.
  Oid effective = OidIsValid(um->userid) ? um->userid : GetUserId();
  out->password_required = !superuser_arg(effective);
  if (out->password_required && (!out->password || out->password[0] == '\0'))
    ereport(
        ERROR,
        (errcode(ERRCODE_S_R_E_PROHIBITED_SQL_STATEMENT_ATTEMPTED), errmsg("password is required"),
         errdetail("Non-superusers must give a password in the user mapping of minibar_mysql "
                   "server \"%s\".",
                   server->servername),
         errhint("ALTER USER MAPPING FOR %s SERVER %s OPTIONS (ADD password '...');",
                 quote_identifier(GetUserNameFromId(effective, false)),
                 quote_identifier(server->servername))));
}

const char *mysql_remote_db(Oid relid, const MysqlServerConfig &config) {
  const char *db = option_value(GetForeignTable(relid)->options, "dbname");
  if (db) return db;
  if (config.dbname) return config.dbname;
  ereport(ERROR, (errcode(ERRCODE_FDW_OPTION_NAME_NOT_FOUND),
                  errmsg("foreign table \"%s\" has no MySQL database", get_rel_name(relid)),
                  errhint("Set the dbname option of the foreign table or of server \"%s\".",
                          config.server_name)));
  pg_unreachable();
}

const char *mysql_remote_table(Oid relid) {
  const char *name = option_value(GetForeignTable(relid)->options, "table_name");
  return name ? name : get_rel_name(relid);
}

const char *mysql_remote_column(Oid relid, AttrNumber attnum) {
  const char *name = option_value(GetForeignColumnOptions(relid, attnum), "column_name");
  return name ? name : get_attname(relid, attnum, false);
}

pg_tz *mysql_source_tz(const MysqlServerConfig &config) {
  if (pg_strcasecmp(config.source_timezone, "UTC") == 0) return nullptr;
  return pg_tzset(config.source_timezone);
}

MysqlOptions mysql_client_options(const MysqlServerConfig &c) {
  MysqlOptions o;
  o.label = std::string("minibar_mysql server \"") + c.server_name + "\"";
  o.host = c.host;
  o.port = c.port;
  if (c.socket) o.socket = c.socket;
  if (c.dbname) o.dbname = c.dbname;
  o.username = c.username;
  if (c.password) o.password = c.password;
  o.ssl_mode = c.ssl_mode;
  if (c.ssl_ca) o.ssl_ca = c.ssl_ca;
  if (c.ssl_cert) o.ssl_cert = c.ssl_cert;
  if (c.ssl_key) o.ssl_key = c.ssl_key;
  o.connect_timeout = c.connect_timeout;
  o.password_auth_only = c.password_required;
  o.interrupt_requested = [] { return interrupt_pending(); };
  return o;
}

}  // namespace minibar::pg
