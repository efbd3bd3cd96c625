// The sync launcher (launcher.cpp): registered at server start when the
// library is preloaded, it restarts the syncs still wanted running.
#pragma once

namespace minibar::pg {

// Registers the launcher; only while shared_preload_libraries is processed.
void register_sync_launcher();

}  // namespace minibar::pg
