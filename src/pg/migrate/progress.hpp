// The caller's progress NOTICEs about its run, for the person at psql (the
// phase lines of minibar_migrate.log_level are another thing, for the log):
// - when a table's copy steps are all done: its rows copied and rejected, the
//   time from its first copy's start to its last copy's end and the rows read
//   per second (copied + rejected);
// - every progress_interval seconds while the run goes on: the tables not done
//   yet, as minibar_migrate.progress shows them (at most kListed of them).
// Both are read from the run's state: what the workers committed, or this
// transaction's own steps (workers 0). With background workers the caller's
// loop (migrate/run) emits them, never the workers, whose messages go to the
// server log. Names are quoted and cut (log_name); no row value is shown.
// {"progress": false} turns both off, {"progress_interval": 0} the second.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "pg/migrate/options.hpp"

namespace minibar::pg {

class RunNotices {
 public:
  explicit RunNotices(const MigrateOptions &options);
  // The run, once known. seed: the tables already copied (a resumed run's
  // earlier calls) are not announced again, unless copied again.
  void start(int64_t run_id, bool seed);
  bool started() const { return run_id_ != 0; }
  // A NOTICE per table whose copies are all done and not yet announced (only:
  // that table, "" every table).
  void tables_copied(const std::string &only = std::string());
  // The interval NOTICE, when it is due.
  void tick();

 private:
  void interval_notice();
  int64_t run_id_ = 0;
  bool per_table_ = true;
  int interval_ = 0;
  int64_t announced_count_ = 0;
  std::map<std::string, std::string> announced_;  // source table -> its last copy's end
  std::chrono::steady_clock::time_point last_;
};

// While one lives, progress_tick() (which the bulk load calls after every
// batch) gives notices' interval NOTICE from inside a long copy in this
// backend (workers 0: the caller's loop runs between steps only).
class ProgressTickScope {
 public:
  explicit ProgressTickScope(RunNotices *notices);
  ~ProgressTickScope();
  ProgressTickScope(const ProgressTickScope &) = delete;
  ProgressTickScope &operator=(const ProgressTickScope &) = delete;

 private:
  RunNotices *previous_;
};
void progress_tick();

}  // namespace minibar::pg
