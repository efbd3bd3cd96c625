// What a run does with target tables that exist already (options if_exists
// and data_only): decided and done in the planning step, before any table is
// created or any row moves.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/plan/migrate_plan.hpp"
#include "core/schema/model.hpp"
#include "pg/migrate/options.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

// plans[i] is the target of tables[i]. Throws 42P01 (data_only: a target is
// missing), 42P07 (if_exists "error", the default: a target holds rows),
// 42501 (recreate: a target the caller does not own), 2BP01 (recreate: other
// objects depend on a target) or 0A000 (truncate/recreate with background
// workers that commit chunk by chunk but would roll the run back). Truncates
// or drops the targets for "truncate" / "recreate"; returns the notes per
// source table saying so.
std::map<std::string, std::vector<Note>> prepare_existing_targets(
    const std::vector<SourceTable> &tables, const std::vector<TablePlan> &plans,
    const MigrateOptions &opts, Oid target_nsp, bool schema_created, bool chunked, bool resumable);

}  // namespace minibar::pg
