// Progress lines: one short line per phase of a run, a validation or a sync
// ("minibar_migrate: run 3: copy public.t chunk 2 done, 5000 rows"), emitted
// at the level the setting minibar_migrate.log_level names (default DEBUG1),
// so they reach the server log (log_min_messages) or the caller's client
// (client_min_messages) only when asked for. Names in a line are untrusted
// text: pass them through log_name (quoted, control bytes escaped, cut).
#pragma once

#include <string>
#include <string_view>

namespace minibar::pg {

// Defines minibar_migrate.log_level (from _PG_init).
void define_log_settings();

// True when a progress line at the configured level would go anywhere, so
// callers can skip building it. Reads flags only.
bool log_phase_wanted() noexcept;

// Emits "minibar_migrate: <line>" at the configured level (never an ERROR:
// at most WARNING). A C++ call: a PostgreSQL error while reporting it comes
// back as PgError (pg_call).
void log_phase(const std::string &line);

// An untrusted name (table, server, database) for a progress line: quoted,
// with control bytes escaped, cut after a few dozen bytes.
std::string log_name(std::string_view name);

}  // namespace minibar::pg
