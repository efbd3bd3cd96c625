// The SQL entry points of minibar_sqlite (fdw.sql): its handler and validator.
#include "pg/fdw/sqlite/handler.hpp"

#include "pg/fdw/routine.hpp"
#include "pg/remote/server/sqlite_options.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(minibar_sqlite_fdw_handler);
PG_FUNCTION_INFO_V1(minibar_sqlite_fdw_validator);
}

extern "C" PGDLLEXPORT Datum minibar_sqlite_fdw_handler(PG_FUNCTION_ARGS) {
  using namespace minibar::pg;
  return fdw_routine({sqlite_get_rel_size, sqlite_get_paths, sqlite_get_plan, sqlite_explain_scan,
                      sqlite_begin_scan, sqlite_analyze, sqlite_import_schema});
}

// Called by CREATE/ALTER of the wrapper, servers, user mappings, foreign
// tables and their columns, with the object's whole option list.
extern "C" PGDLLEXPORT Datum minibar_sqlite_fdw_validator(PG_FUNCTION_ARGS) {
  return minibar::pg::fdw_validator(fcinfo, minibar::pg::sqlite_validate_options);
}
