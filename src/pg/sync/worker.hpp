// The change-data-capture background worker: one per synced server. It
// streams the source's binlog (core/binlog/stream), decodes the row events of
// the synced tables (core/binlog/event) and applies them in source order
// (pg/sync/apply), committing its position with the changes it covers.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

// PostgreSQL calls: registers the sync worker of 'server' in database dboid,
// running as roleoid. It waits until transaction 'creator' (the one that
// wrote the sync's rows; InvalidTransactionId: none) has ended. Returns the
// handle, or nullptr when no background worker slot is free.
BackgroundWorkerHandle *sync_launch(Oid dboid, Oid roleoid, const char *server,
                                    TransactionId creator);

}  // namespace minibar::pg
