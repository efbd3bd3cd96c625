#include "pg/fdw/mysql/handler.hpp"

#include "pg/fdw/routine.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(minibar_mysql_fdw_handler);
}

extern "C" PGDLLEXPORT Datum minibar_mysql_fdw_handler(PG_FUNCTION_ARGS) {
  using namespace minibar::pg;
  return fdw_routine({mysql_get_rel_size, mysql_get_paths, mysql_get_plan, mysql_explain_scan,
                      mysql_begin_scan, mysql_analyze, mysql_import_schema});
}
