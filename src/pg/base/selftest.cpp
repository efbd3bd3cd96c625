// SQL-callable probes of the error boundary, used only by the test suites
// (which create them with CREATE FUNCTION ... AS 'minibar_migrate', '...';
// the extension script does not install them).
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "pg/base/guard.hpp"

namespace {

// Counts live instances, so a test can see whether destructors ran.
int64 g_live_trackers = 0;

struct Tracker {
  std::vector<char> payload;
  Tracker() : payload(1 << 20, 'x') { g_live_trackers++; }
  ~Tracker() { g_live_trackers--; }
  Tracker(const Tracker &) = delete;
  Tracker &operator=(const Tracker &) = delete;
};

}  // namespace

extern "C" {
PG_FUNCTION_INFO_V1(minibar_selftest_throw);
PG_FUNCTION_INFO_V1(minibar_selftest_pg_error);
PG_FUNCTION_INFO_V1(minibar_selftest_live_objects);
}

// minibar_selftest_throw(kind text) RETURNS text: throws a C++ exception of the
// given kind from under live C++ objects: 'std' (std::out_of_range), 'minibar'
// (minibar::Error with SQLSTATE 22023, detail and hint), 'bad_alloc', 'int'
// (a non-std type), 'none' (returns normally).
extern "C" PGDLLEXPORT Datum minibar_selftest_throw(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    const char *kind = text_to_cstring(PG_GETARG_TEXT_PP(0));
    Tracker tracker;
    std::string s(kind);
    if (s == "std") return Int32GetDatum(std::vector<int>(3).at(7));
    if (s == "minibar")
      throw minibar::Error(minibar::sqlstate::kInvalidParameterValue, "selftest error",
                           "selftest detail", "selftest hint");
    if (s == "bad_alloc") throw std::bad_alloc();
    if (s == "int") throw 42;
    return CStringGetTextDatum("no exception");
  });
}

// minibar_selftest_pg_error(raise bool) RETURNS int: calls int4div(1, 0) through
// pg_call while C++ objects are alive; the PostgreSQL error must reach the
// client with its SQLSTATE (22012) after the objects were destroyed.
extern "C" PGDLLEXPORT Datum minibar_selftest_pg_error(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    bool raise = PG_GETARG_BOOL(0);
    auto tracker = std::make_unique<Tracker>();
    std::string label = "pg_call under live objects";
    Datum result = 0;
    minibar::pg::pg_call([&] {
      result = DirectFunctionCall2(int4div, Int32GetDatum(1), Int32GetDatum(raise ? 0 : 1));
    });
    return result;
  });
}

// minibar_selftest_live_objects() RETURNS bigint: Tracker instances alive now
// (0 unless a destructor was skipped).
extern "C" PGDLLEXPORT Datum minibar_selftest_live_objects(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum { return Int64GetDatum(g_live_trackers); });
}
