// The steps of one table's migration, each usable on its own (a run's tasks
// call them, in one backend or in background workers): create the target
// from the plan (enum types, columns, defaults, CHECKs, comments) or match an
// existing target's columns; load a chunk of rows (bulk_load) proving its
// count; build keys and indexes after the load; add foreign keys.
#pragma once

#include <map>
#include <string>

#include "core/plan/migrate_plan.hpp"
#include "pg/migrate/load/bulk_load.hpp"
#include "pg/migrate/options.hpp"
#include "pg/remote/source.hpp"

namespace minibar::pg {

struct MigrateContext {
  MigrationSource *source = nullptr;
  const MigrateOptions *options = nullptr;
  int64_t run_id = 0;
};

// The OID of schema.name, or InvalidOid.
Oid find_table(const std::string &schema, const std::string &name);
// The OID of a schema, or InvalidOid.
Oid find_schema(const std::string &schema);
// A run's target by OID as a quoted, schema-qualified name built from the
// catalog now; 42P01 naming recorded_name when the table is gone.
std::string target_name(Oid relid, const std::string &recorded_name);

// Creates plan's table (it must not exist): enum types, columns, CHECKs (a
// CHECK PostgreSQL refuses becomes a note), comments. Returns its OID; the
// enum types it created (OID, quoted qualified name) are added to created_types.
Oid create_target(MigrateContext &ctx, const SourceTable &table, TablePlan &plan,
                  std::vector<std::pair<Oid, std::string>> &created_types);

// How an existing table's columns are fed: matched by name (exactly, then
// ignoring ASCII case). A missing or extra column is 42703 unless the
// options ignore it (then a note).
struct ColumnMatch {
  std::string qualified;
  std::vector<std::string> source_columns, target_columns;
  std::vector<Note> notes;
};
ColumnMatch match_existing(const SourceTable &table, Oid relid, bool ignore_missing,
                           bool ignore_extra);

// One copy step: the rows of source_table in range into relid.
struct ChunkLoad {
  std::string source_table;
  Oid relid = InvalidOid;
  std::string target_name;                                  // "schema"."table"
  std::vector<std::string> source_columns, target_columns;  // same order
  std::vector<std::string> key_columns;                     // source key, names rejected rows
  KeyRange range;
  int64_t max_rejects = -1;
};
// Loads and proves the count: the source counted (in the snapshot the rows
// came from) = read = copied + rejected, else an error.
LoadCounts load_chunk(MigrateContext &ctx, const ChunkLoad &load);

// count(*) of a target table.
int64_t count_target_rows(Oid relid);

// A key or index of the plan built on relid after the load: CREATE INDEX
// failing is a note; a primary key or unique constraint the data breaks is
// an error.
void run_post_load(Oid relid, const PlannedIndex &idx, std::vector<Note> &notes);

// How a foreign key is named in notes: its name, or (columns) -> table.
std::string foreign_key_label(const PlannedForeignKey &fk);

// A foreign key to add once both tables hold their rows.
struct ForeignKeyStep {
  std::string label;
  Oid table = InvalidOid, ref_table = InvalidOid;
  std::string table_name, ref_table_name;  // as recorded, for messages
  PlannedForeignKey fk;
};
// Adds the key; orphan rows make it NOT VALID with a note; a key PostgreSQL
// refuses is a note (returns false: not created).
bool apply_foreign_key(const ForeignKeyStep &step, std::vector<Note> &notes);

}  // namespace minibar::pg
