// Runs a migration: in the caller's transaction (workers = 0), or in dynamic
// background workers that share the run's tasks (claimed with SKIP LOCKED,
// each committed with its data) while the caller waits, reports progress and
// relays errors. A failed or cancelled run in workers is rolled back (its
// created objects dropped) unless it is resumable ({"resume": true}): then its
// committed chunks stay and the next call with resume continues it.
#pragma once

#include <cstdint>

#include "pg/remote/source.hpp"
#include "pg/migrate/plan.hpp"
#include "pg/migrate/tasks.hpp"

namespace minibar::pg {

// The settings minibar_migrate.max_workers (every run's workers together,
// default half of max_worker_processes) and
// minibar_migrate.max_workers_per_user (a non-superuser's runs together,
// default a quarter of max_workers, at least 1). From _PG_init.
void define_worker_settings();

// The number of workers to use: options.workers when given; otherwise 0 in a
// transaction block (workers could neither see nor undo its work) unless
// resume is asked, else the CPU count capped at 4. A request above what the
// caps leave free is lowered with a NOTICE; none free at all is 53000.
int resolve_workers(const MigrateOptions &options);

// Runs (or resumes) the run; returns its run_id. req.workers is resolved.
int64_t run_migration(RunRequest &req, const MigrateOptions &options, const SourceConfig &config);

}  // namespace minibar::pg
