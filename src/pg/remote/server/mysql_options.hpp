// Options of the minibar_mysql wrapper: validation and look-up (docs/mysql_fdw.md:
// server host, port, dbname, socket, ssl_mode/ssl_ca/ssl_cert/ssl_key,
// connect_timeout, source_timezone, fetch_size, zero_dates; user mapping
// username, password; foreign table dbname, table_name; column column_name).
#pragma once

#include "core/mysql/client.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

// The wrapper's validator: checks each option of a CREATE/ALTER of the
// wrapper, a server, a user mapping, a foreign table or a column (context:
// the catalog it goes in). PostgreSQL calls (ereports).
void mysql_validate_options(List *options, Oid context);

// Everything needed to connect and read, palloc'd in the current context.
struct MysqlServerConfig {
  Oid serverid;
  Oid userid;  // the user whose mapping applies
  Oid umid;    // the user mapping's OID
  const char *server_name;
  const char *host;
  int port;
  const char *socket;  // nullptr: TCP
  const char *dbname;  // nullptr: none
  SslMode ssl_mode;
  const char *ssl_ca, *ssl_cert, *ssl_key;
  int connect_timeout;
  const char *source_timezone;  // IANA name; "UTC" by default
  int fetch_size;               // 0: stream unbuffered; >0: server-side cursor, rows per fetch
  bool zero_dates_error;
  const char *username;
  const char *password;    // nullptr when the mapping has none
  bool password_required;  // the mapped user is not a superuser
  uint32 server_hash;      // syscache hash values, to match invalidations
  uint32 mapping_hash;
};

// Reads server and user mapping options for the current user (PostgreSQL
// calls; use outside C++ object scopes or inside pg_call). A non-superuser's
// mapping without a password is an error. Every path to a connection goes
// through here, so it also registers the connection cache's invalidation.
void mysql_server_config(Oid serverid, MysqlServerConfig *out);

// Remote names: the foreign table's dbname (else the server's), its
// table_name / column_name options, else the local names.
const char *mysql_remote_db(Oid relid, const MysqlServerConfig &config);
const char *mysql_remote_table(Oid relid);
const char *mysql_remote_column(Oid relid, AttrNumber attnum);

// The zone DATETIME values are read in; nullptr for UTC (no shift needed).
pg_tz *mysql_source_tz(const MysqlServerConfig &config);

// Client options for the core (pure C++; no PostgreSQL calls).
MysqlOptions mysql_client_options(const MysqlServerConfig &config);

}  // namespace minibar::pg
