// Connection options applied to a libmariadb handle, shared by the core's
// MySQL clients (the query client and the binlog stream). Include only from
// core .cpp files: it pulls in mysql.h, which clashes with PostgreSQL's headers.
#pragma once

#include <mysql.h>

#include "core/mysql/client.hpp"

namespace minibar {

// Timeouts, utf8mb4, no LOCAL INFILE, TCP or socket, TLS and the allowed
// authentication plugins, as 'o' asks; nonblocking enables the _start/_cont API.
void mysql_apply_options(MYSQL *m, const MysqlOptions &o, bool nonblocking);

}  // namespace minibar
