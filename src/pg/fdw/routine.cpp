#include "pg/fdw/routine.hpp"

#include "pg/base/guard.hpp"
#include "pg/fdw/scan_support.hpp"

namespace minibar::pg {

Datum fdw_routine(const WrapperCallbacks &callbacks) {
  return pg_entry([&]() -> Datum {
    FdwRoutine *r = makeNode(FdwRoutine);
    r->GetForeignRelSize = callbacks.rel_size;
    r->GetForeignPaths = callbacks.paths;
    r->GetForeignPlan = callbacks.plan;
    r->ExplainForeignScan = callbacks.explain;
    r->BeginForeignScan = callbacks.begin_scan;
    r->IterateForeignScan = scan_iterate;
    r->ReScanForeignScan = scan_rescan;
    r->EndForeignScan = scan_end;
    r->AnalyzeForeignTable = callbacks.analyze;
    r->ImportForeignSchema = callbacks.import_schema;
    return PointerGetDatum(r);
  });
}

Datum fdw_validator(FunctionCallInfo fcinfo, void (*validate)(List *options, Oid context)) {
  return pg_entry([&]() -> Datum {
    List *options = untransformRelOptions(PG_GETARG_DATUM(0));
    Oid context = PG_GETARG_OID(1);
    validate(options, context);
    PG_RETURN_VOID();
  });
}

}  // namespace minibar::pg
