// The SQL entry points of minibar_sqlite (fdw.sql): its handler and validator.
#include "pg/fdw/sqlite/handler.hpp"

#include "pg/remote/server/sqlite_options.hpp"

MINIBAR_FDW_ENTRY_POINTS(sqlite)
