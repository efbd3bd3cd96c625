// The conversion targets of a target table's columns, looked up by name: how
// the migration's copy, sync_table and sync's apply open the columns rows
// are written to.
#pragma once

#include <string>
#include <vector>

#include "pg/remote/datum_build.hpp"

namespace minibar::pg {

// The targets of rel's columns `names`, in that order: palloc'd (with the
// targets' caches) in CurrentMemoryContext, with one spare entry. A name rel
// does not have now (dropped or renamed since it was planned) throws Error
// 42703 "column "c" of <what> is gone"; a PostgreSQL error throws PgError.
ColumnTarget *target_columns(Relation rel, const std::vector<std::string> &names,
                             const std::string &what);

}  // namespace minibar::pg
