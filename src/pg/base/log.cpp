#include "pg/base/log.hpp"

#include "core/convert/describe.hpp"
#include "pg/base/guard.hpp"
#include "pg/pg.hpp"

namespace minibar::pg {

namespace {

int log_level_setting = DEBUG1;

const struct config_enum_entry kLogLevels[] = {
    {"debug5", DEBUG5, false},   {"debug4", DEBUG4, false}, {"debug3", DEBUG3, false},
    {"debug2", DEBUG2, false},   {"debug1", DEBUG1, false}, {"debug", DEBUG2, true},
    {"log", LOG, false},         {"info", INFO, false},     {"notice", NOTICE, false},
    {"warning", WARNING, false}, {nullptr, 0, false}};

constexpr size_t kMaxLine = 900;  // a line stays short whatever it names

}  // namespace

void define_log_settings() {
  DefineCustomEnumVariable(
      "minibar_migrate.log_level",
      "Level of minibar_migrate's progress lines (one per phase of a run, validation or sync).",
      "They reach the server log when log_min_messages lets this level through, and the "
      "calling session when client_min_messages does.",
      &log_level_setting, DEBUG1, kLogLevels, PGC_SUSET, 0, nullptr, nullptr, nullptr);
}

bool log_phase_wanted() noexcept {
  return message_level_is_interesting(log_level_setting);
}

void log_phase(const std::string &line) {
  if (!log_phase_wanted()) return;
  const int level = log_level_setting;
  const std::string cut = line.size() > kMaxLine ? line.substr(0, kMaxLine) + "..." : line;
  pg_call([&] { ereport(level, (errmsg_internal("minibar_migrate: %s", cut.c_str()))); });
}

std::string log_name(std::string_view name) {
  return describe_text(name);
}

}  // namespace minibar::pg
