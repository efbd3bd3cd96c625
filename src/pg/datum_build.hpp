// Builds PostgreSQL Datums from converted remote values (core/cell_convert),
// directly for the common types and through the type's input function for
// the rest (numeric with typmod, varchar(n), jsonb, uuid, enums, domains...).
#pragma once

#include "core/cell_convert.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

struct ColumnTarget {
  AttrNumber attnum;
  const char *attname;
  TargetKind kind;
  Oid typid;
  int32 typmod;
  FmgrInfo infunc;
  Oid ioparam;
};

// PostgreSQL calls: use outside C++ object scopes or inside pg_call.
void column_target_init(ColumnTarget *target, Form_pg_attribute att);

// The Datum for a converted value (never Kind::Error). Allocates in
// CurrentMemoryContext and may ereport (input functions, range checks): call
// inside pg_call.
Datum converted_to_datum(const Converted &value, const ColumnTarget &target, bool *isnull);

}  // namespace minibar::pg
