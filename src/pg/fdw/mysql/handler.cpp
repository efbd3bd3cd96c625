// The SQL entry points of minibar_mysql (fdw.sql): its handler and validator.
#include "pg/fdw/mysql/handler.hpp"

#include "pg/remote/server/mysql_options.hpp"

MINIBAR_FDW_ENTRY_POINTS(mysql)
