// The sync launcher (launcher.cpp): registered at server start when the
// library is preloaded, it restarts the syncs still wanted running in the
// databases the setting minibar_migrate.sync_databases names, and follows
// that setting on each configuration reload.
#pragma once

namespace minibar::pg {

// Defines minibar_migrate.sync_databases (from _PG_init).
void define_sync_settings();

// Registers the launcher; only while shared_preload_libraries is processed.
void register_sync_launcher();

// True in every process of a server that preloaded the library (the
// launcher exists).
bool sync_launcher_registered();

// PostgreSQL calls: whether minibar_migrate.sync_databases names dbname
// (or is *).
bool sync_database_named(const char *dbname);

// PostgreSQL calls: whether a sync may run in database dbname: always
// without the preload (no launcher; a sync then does not survive a restart),
// else only when the setting names it.
bool sync_database_served(const char *dbname);

}  // namespace minibar::pg
