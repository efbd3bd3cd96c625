// The shared library: its module magic block and _PG_init, which defines the
// settings (GUCs) and, when the library is preloaded, registers the sync
// launcher.
#include "pg/base/log.hpp"
#include "pg/migrate/run.hpp"
#include "pg/pg.hpp"
#include "pg/sync/launcher.hpp"

extern "C" {

PG_MODULE_MAGIC;

PGDLLEXPORT void _PG_init(void);

void _PG_init(void) {
  minibar::pg::define_worker_settings();
  minibar::pg::define_sync_settings();
  minibar::pg::define_log_settings();
  // After every definition: other names under the prefix are typos.
  MarkGUCPrefixReserved("minibar_migrate");
  if (process_shared_preload_libraries_in_progress) minibar::pg::register_sync_launcher();
}

}  // extern "C"
