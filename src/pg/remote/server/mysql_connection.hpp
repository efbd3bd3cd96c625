// The per-backend cache of MySQL connections, one per (server, user mapping).
// A cached connection is dropped when its server or user mapping is altered or
// dropped (syscache invalidation), when it broke, or on request
// (minibar_migrate.mysql_disconnect). A scan that finds the cached connection
// busy streaming another scan gets a private connection of its own.
#pragma once

#include <memory>

#include "core/mysql/client.hpp"
#include "pg/remote/server/mysql_options.hpp"

namespace minibar::pg {

// The right to use a connection until the lease is destroyed: the cached
// connection (marked in use meanwhile) or a private one.
class MysqlLease {
 public:
  MysqlLease() = default;
  MysqlLease(MysqlLease &&other) noexcept;
  MysqlLease &operator=(MysqlLease &&) = delete;
  ~MysqlLease();

  MysqlConnection *conn = nullptr;         // the connection to use
  std::unique_ptr<MysqlConnection> owned;  // set when it is private to the lease
  bool *in_use = nullptr;                  // the cache entry's flag, cleared on release
};

// Registers the invalidation callbacks (PostgreSQL calls; once per backend).
void mysql_connection_cache_init();

// The connection for config (pure C++; throws Error when connecting fails).
MysqlLease mysql_acquire(const MysqlServerConfig &config);

}  // namespace minibar::pg
