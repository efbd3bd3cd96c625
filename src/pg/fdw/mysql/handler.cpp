#include "pg/fdw/mysql/handler.hpp"

#include "pg/base/guard.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(minibar_mysql_fdw_handler);
}

extern "C" PGDLLEXPORT Datum minibar_mysql_fdw_handler(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    FdwRoutine *r = makeNode(FdwRoutine);
    r->GetForeignRelSize = minibar::pg::mysql_get_rel_size;
    r->GetForeignPaths = minibar::pg::mysql_get_paths;
    r->GetForeignPlan = minibar::pg::mysql_get_plan;
    r->ExplainForeignScan = minibar::pg::mysql_explain_scan;
    r->BeginForeignScan = minibar::pg::mysql_begin_scan;
    r->IterateForeignScan = minibar::pg::mysql_iterate_scan;
    r->ReScanForeignScan = minibar::pg::mysql_rescan;
    r->EndForeignScan = minibar::pg::mysql_end_scan;
    r->AnalyzeForeignTable = minibar::pg::mysql_analyze;
    r->ImportForeignSchema = minibar::pg::mysql_import_schema;
    PG_RETURN_POINTER(r);
  });
}
