#include "pg/fdw/sqlite/handler.hpp"

#include "pg/base/guard.hpp"

extern "C" {
PG_FUNCTION_INFO_V1(minibar_sqlite_fdw_handler);
}

extern "C" PGDLLEXPORT Datum minibar_sqlite_fdw_handler(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    FdwRoutine *r = makeNode(FdwRoutine);
    r->GetForeignRelSize = minibar::pg::sqlite_get_rel_size;
    r->GetForeignPaths = minibar::pg::sqlite_get_paths;
    r->GetForeignPlan = minibar::pg::sqlite_get_plan;
    r->ExplainForeignScan = minibar::pg::sqlite_explain_scan;
    r->BeginForeignScan = minibar::pg::sqlite_begin_scan;
    r->IterateForeignScan = minibar::pg::sqlite_iterate_scan;
    r->ReScanForeignScan = minibar::pg::sqlite_rescan;
    r->EndForeignScan = minibar::pg::sqlite_end_scan;
    r->AnalyzeForeignTable = minibar::pg::sqlite_analyze;
    r->ImportForeignSchema = minibar::pg::sqlite_import_schema;
    PG_RETURN_POINTER(r);
  });
}
