// One table's migration: create the target from the plan (enum types,
// columns, defaults, CHECKs, comments) or check an existing target's columns,
// load every row (bulk_load), build keys and indexes after the load, and
// prove the count: source rows = copied + rejected, and the target holds the
// copied rows. Then, for a whole database, the foreign keys.
#pragma once

#include <map>
#include <string>

#include "core/migrate_plan.hpp"
#include "pg/migrate_options.hpp"
#include "pg/migrate_run.hpp"
#include "pg/migrate_source.hpp"

namespace minibar::pg {

struct MigrateContext {
  MigrationSource *source = nullptr;
  const MigrateOptions *options = nullptr;
  int64_t run_id = 0;
};

// The OID of schema.name, or InvalidOid.
Oid find_table(const std::string &schema, const std::string &name);

// Creates plan's table (it must not exist), loads it and builds its keys and
// indexes. Notes of the plan and of the run go into the result.
TableResult migrate_new_table(MigrateContext &ctx, const SourceTable &table, TablePlan &plan);

// Loads into an existing table, matching columns by name.
TableResult migrate_into_existing(MigrateContext &ctx, const SourceTable &table, Oid relid);

// Adds plan's foreign keys (tables maps source table -> qualified target).
// Orphan rows make a key NOT VALID, with a note; a key PostgreSQL refuses is
// a note.
void add_foreign_keys(const TablePlan &plan, const std::map<std::string, std::string> &tables,
                      std::vector<Note> &notes);

}  // namespace minibar::pg
