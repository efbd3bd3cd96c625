#include "pg/migrate/progress.hpp"

#include <cmath>
#include <vector>

#include "pg/base/guard.hpp"
#include "pg/base/log.hpp"
#include "pg/migrate/run_record.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

namespace {

constexpr size_t kListed = 5;  // tables named in one interval NOTICE

RunNotices *ticking = nullptr;  // set by ProgressTickScope

void notice(int64_t run_id, const std::string &text) {
  pg_call([&] {
    ereport(NOTICE, (errmsg("run %lld: %s", static_cast<long long>(run_id), text.c_str())));
  });
}

std::string one_decimal(double v) {
  char buf[64];
  snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

RunNotices::RunNotices(const MigrateOptions &options)
    : per_table_(options.progress),
      interval_(options.progress ? options.progress_interval : 0),
      last_(std::chrono::steady_clock::now()) {}

void RunNotices::start(int64_t run_id, bool seed) {
  run_id_ = run_id;
  last_ = std::chrono::steady_clock::now();
  if (!seed || !per_table_) return;
  for (const TableCopied &c : run_tables_copied(run_id_, std::string()))
    announced_[c.source_table] = c.finished_at;
}

void RunNotices::tables_copied(const std::string &only) {
  if (!run_id_ || !per_table_) return;
  for (const TableCopied &c : run_tables_copied(run_id_, only)) {
    auto it = announced_.find(c.source_table);
    if (it != announced_.end() && it->second == c.finished_at) continue;
    if (it == announced_.end()) announced_count_++;
    announced_[c.source_table] = c.finished_at;
    const int64_t read = c.rows_copied + c.rows_rejected;
    std::string text =
        "table " + log_name(c.source_table) + " copied (" + std::to_string(announced_count_) +
        " of " + std::to_string(c.tables) + "): " + std::to_string(c.rows_copied) + " row(s), " +
        std::to_string(c.rows_rejected) + " rejected, " + one_decimal(c.seconds) + " s";
    if (c.seconds > 0)
      text +=
          ", " + std::to_string(std::llround(static_cast<double>(read) / c.seconds)) + " rows/s";
    notice(run_id_, text);
  }
}

void RunNotices::tick() {
  if (!run_id_ || interval_ <= 0) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::seconds(interval_)) return;
  interval_notice();
  last_ = std::chrono::steady_clock::now();
}

void RunNotices::interval_notice() {
  // Backend progress is read once per transaction unless the snapshot is dropped.
  pg_call([] { pgstat_clear_snapshot(); });
  std::string line;
  size_t done = 0, listed = 0, total = 0;
  for (const RunProgress &r : run_progress(run_id_)) {
    total++;
    if (r.state == "done") {
      done++;
      continue;
    }
    if (++listed > kListed) continue;
    if (!line.empty()) line += "; ";
    line += log_name(r.source_table) + " " + r.state + " " + r.rows_done + "/" + r.rows_estimated +
            " rows";
    if (r.rows_per_second != "0") line += ", " + r.rows_per_second + " rows/s";
    if (r.eta_seconds != "-1") line += ", ETA " + r.eta_seconds + " s";
  }
  if (listed > kListed) line += "; and " + std::to_string(listed - kListed) + " more";
  const std::string count =
      std::to_string(done) + " of " + std::to_string(total) + " table(s) done";
  notice(run_id_, line.empty() ? count + ", finishing" : line + "; " + count);
}

ProgressTickScope::ProgressTickScope(RunNotices *notices) : previous_(ticking) {
  ticking = notices;
}

ProgressTickScope::~ProgressTickScope() {
  ticking = previous_;
}

void progress_tick() {
  if (ticking) ticking->tick();
}

}  // namespace minibar::pg
