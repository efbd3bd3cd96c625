// The trust check of a run's target, used by the planner (before any row
// moves) and by every copy step where it opens the table (which may have
// changed since, and background workers load it later): a schema or table
// owned by a role the caller does not trust, user triggers on the table or
// its partitions, row-level security on it, or a target that is not a table
// is refused with 42501 unless the run was given {"trust_target": true}.
// The decision and its words are core/target_trust.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

// Throws Error 42501 when the target may not be loaded. relid InvalidOid:
// only the schema (the run creates the table). schema_created: the run made
// the schema, nothing to check there. relid and its partitions are locked
// with lockmode (kept until the end of the transaction), so that no trigger
// can be added after the check. Does nothing when trust is true.
void check_target(Oid nspid, Oid relid, bool schema_created, bool trust, LOCKMODE lockmode);

// Row-level security applies to the current user on relid (check_enable_rls
// says RLS_ENABLED): rows must go through INSERT, not the heap.
bool rls_applies(Oid relid);

}  // namespace minibar::pg
