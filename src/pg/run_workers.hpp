// Runs a migration: in the caller's transaction (workers = 0), or in dynamic
// background workers that share the run's tasks (claimed with SKIP LOCKED,
// each committed with its data) while the caller waits, reports progress and
// relays errors. A failed or cancelled run in workers is rolled back (its
// created objects dropped) unless it is resumable ({"resume": true}): then its
// committed chunks stay and the next call with resume continues it.
#pragma once

#include <cstdint>

#include "pg/migrate_source.hpp"
#include "pg/run_engine.hpp"

namespace minibar::pg {

// The number of workers to use: options.workers when given; otherwise 0 in a
// transaction block (workers could neither see nor undo its work) unless
// resume is asked, else the CPU count capped at 4.
int resolve_workers(const MigrateOptions &options);

// Runs (or resumes) the run; returns its run_id. req.workers is resolved.
int64_t run_migration(RunRequest &req, const MigrateOptions &options, const SourceConfig &config);

}  // namespace minibar::pg
