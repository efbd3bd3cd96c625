// Builds PostgreSQL Datums from converted remote values (core/cell_convert),
// directly for the common types (also numeric from plain decimal text,
// varchar(n) when the text is short enough, and enum labels already seen in
// the column) and through the type's input function for the rest (jsonb, uuid,
// domains, ...).
#pragma once

#include "core/convert/cell_convert.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

// Enum labels a column has already turned into OIDs through enum_in (which
// checks that the label may be used in this transaction), so each label's
// text is looked up once per load, not once per row.
struct EnumCache;

struct ColumnTarget {
  AttrNumber attnum;
  const char *attname;
  TargetKind kind;
  Oid typid;
  int32 typmod;
  FmgrInfo infunc;
  Oid ioparam;
  EnumCache *enums;  // enum types (in a UTF-8 database), else NULL
};

// PostgreSQL calls: use outside C++ object scopes or inside pg_call. The
// target's caches live in CurrentMemoryContext, which must outlive its use.
void column_target_init(ColumnTarget *target, Form_pg_attribute att);

// The Datum for a converted value (never Kind::Error). Allocates in
// CurrentMemoryContext and may ereport (input functions, range checks): call
// inside pg_call.
Datum converted_to_datum(const Converted &value, const ColumnTarget &target, bool *isnull);

}  // namespace minibar::pg
