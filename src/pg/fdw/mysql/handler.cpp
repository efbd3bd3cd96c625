// The SQL entry points of minibar_mysql (fdw.sql): its handler and validator.
#include "pg/fdw/mysql/handler.hpp"

#include "pg/fdw/routine.hpp"
#include "pg/remote/server/mysql_options.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(minibar_mysql_fdw_handler);
PG_FUNCTION_INFO_V1(minibar_mysql_fdw_validator);
}

extern "C" PGDLLEXPORT Datum minibar_mysql_fdw_handler(PG_FUNCTION_ARGS) {
  using namespace minibar::pg;
  return fdw_routine({mysql_get_rel_size, mysql_get_paths, mysql_get_plan, mysql_explain_scan,
                      mysql_begin_scan, mysql_analyze, mysql_import_schema});
}

// Called by CREATE/ALTER of the wrapper, servers, user mappings, foreign
// tables and their columns, with the object's whole option list.
extern "C" PGDLLEXPORT Datum minibar_mysql_fdw_validator(PG_FUNCTION_ARGS) {
  return minibar::pg::fdw_validator(fcinfo, minibar::pg::mysql_validate_options);
}
