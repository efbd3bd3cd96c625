#include "pg/fdw/sqlite/handler.hpp"

#include "pg/fdw/routine.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(minibar_sqlite_fdw_handler);
}

extern "C" PGDLLEXPORT Datum minibar_sqlite_fdw_handler(PG_FUNCTION_ARGS) {
  using namespace minibar::pg;
  return fdw_routine({sqlite_get_rel_size, sqlite_get_paths, sqlite_get_plan, sqlite_explain_scan,
                      sqlite_begin_scan, sqlite_analyze, sqlite_import_schema});
}
