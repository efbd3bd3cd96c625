#include "pg/remote/server/mysql_connection.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "pg/base/guard.hpp"

namespace minibar::pg {

namespace {

using Clock = std::chrono::steady_clock;

// A connection idle this long is pinged before reuse, so a server restart in
// between costs a reconnect, not an error.
constexpr auto kPingAfterIdle = std::chrono::seconds(1);

struct Entry {
  Oid serverid;
  Oid umid;
  uint32 server_hash;
  uint32 mapping_hash;
  std::string server_name;
  std::string user_name;
  std::unique_ptr<MysqlConnection> conn;
  bool invalid = false;
  bool in_use = false;  // leased to a scan or a catalog query
  Clock::time_point last_used;
};

// Never destroyed: backend exit closes the sockets. Entries never move.
std::vector<std::unique_ptr<Entry>> &cache() {
  static auto *entries = new std::vector<std::unique_ptr<Entry>>();
  return *entries;
}

// Syscache invalidation: mark matching entries (hash 0 means "everything").
// Runs inside PostgreSQL's invalidation processing: no throw, no allocation.
void invalidate(Datum arg, int cacheid, uint32 hashvalue) noexcept {
  for (auto &p : cache()) {
    Entry &e = *p;
    uint32 h = cacheid == FOREIGNSERVEROID ? e.server_hash : e.mapping_hash;
    if (hashvalue == 0 || h == hashvalue) e.invalid = true;
  }
}

void drop_idle(Entry &e) {
  if (e.conn && !e.in_use) e.conn.reset();
}

}  // namespace

MysqlLease::MysqlLease(MysqlLease &&other) noexcept
    : conn(other.conn), owned(std::move(other.owned)), in_use(other.in_use) {
  other.conn = nullptr;
  other.in_use = nullptr;
}

MysqlLease::~MysqlLease() {
  if (in_use) *in_use = false;
}

void mysql_connection_cache_init() {
  static bool registered = false;
  if (registered) return;
  CacheRegisterSyscacheCallback(FOREIGNSERVEROID, invalidate, 0);
  CacheRegisterSyscacheCallback(USERMAPPINGOID, invalidate, 0);
  registered = true;
}

MysqlLease mysql_acquire(const MysqlServerConfig &config) {
  std::vector<std::unique_ptr<Entry>> &entries = cache();
  Entry *entry = nullptr;
  for (auto &e : entries)
    if (e->serverid == config.serverid && e->umid == config.umid) entry = e.get();
  if (!entry) {
    entries.push_back(std::make_unique<Entry>());
    entry = entries.back().get();
    entry->serverid = config.serverid;
    entry->umid = config.umid;
  }
  entry->server_hash = config.server_hash;
  entry->mapping_hash = config.mapping_hash;
  entry->server_name = config.server_name;
  entry->user_name = config.username;

  MysqlLease lease;
  if (entry->in_use) {
    // Another scan of this query holds it: use a private connection.
    lease.owned = MysqlConnection::connect(mysql_client_options(config));
    lease.conn = lease.owned.get();
    return lease;
  }
  if (entry->conn && (entry->invalid || entry->conn->broken())) entry->conn.reset();
  if (entry->conn && Clock::now() - entry->last_used > kPingAfterIdle && !entry->conn->ping())
    entry->conn.reset();
  if (!entry->conn) {
    entry->invalid = false;
    entry->conn = MysqlConnection::connect(mysql_client_options(config));
  }
  entry->last_used = Clock::now();
  entry->in_use = true;
  lease.conn = entry->conn.get();
  lease.in_use = &entry->in_use;
  return lease;
}

}  // namespace minibar::pg

// ---- SQL: list and close cached connections ----

extern "C" {
PG_FUNCTION_INFO_V1(minibar_mysql_connections);
PG_FUNCTION_INFO_V1(minibar_mysql_disconnect);
PG_FUNCTION_INFO_V1(minibar_mysql_disconnect_all);
}

// SETOF (server_name text, user_name text, thread_id bigint, valid boolean,
// busy boolean, tls text). Never shows a password.
extern "C" PGDLLEXPORT Datum minibar_mysql_connections(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    using minibar::pg::Entry;
    InitMaterializedSRF(fcinfo, 0);
    auto *rsinfo = reinterpret_cast<ReturnSetInfo *>(fcinfo->resultinfo);
    for (auto &p : minibar::pg::cache()) {
      Entry &e = *p;
      if (!e.conn) continue;
      Datum values[6];
      bool nulls[6] = {false, false, false, false, false, false};
      std::string tls = e.conn->tls_cipher();
      nulls[5] = tls.empty();
      bool valid = !e.invalid && !e.conn->broken();
      auto thread_id = static_cast<int64>(e.conn->thread_id());
      bool busy = e.in_use;
      minibar::pg::pg_call([&] {
        values[0] = CStringGetTextDatum(e.server_name.c_str());
        values[1] = CStringGetTextDatum(e.user_name.c_str());
        values[2] = Int64GetDatum(thread_id);
        values[3] = BoolGetDatum(valid);
        values[4] = BoolGetDatum(busy);
        values[5] = nulls[5] ? 0 : CStringGetTextDatum(tls.c_str());
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
      });
    }
    return static_cast<Datum>(0);
  });
}

// Closes the cached connections to one server; true when one was open.
extern "C" PGDLLEXPORT Datum minibar_mysql_disconnect(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    ForeignServer *server = GetForeignServerByName(text_to_cstring(PG_GETARG_TEXT_PP(0)), false);
    bool closed = false;
    for (auto &p : minibar::pg::cache()) {
      minibar::pg::Entry &e = *p;
      if (e.serverid != server->serverid || !e.conn) continue;
      closed = true;
      e.invalid = true;
      minibar::pg::drop_idle(e);
    }
    PG_RETURN_BOOL(closed);
  });
}

// Closes every cached connection; returns how many were open.
extern "C" PGDLLEXPORT Datum minibar_mysql_disconnect_all(PG_FUNCTION_ARGS) {
  return minibar::pg::pg_entry([&]() -> Datum {
    int n = 0;
    for (auto &p : minibar::pg::cache()) {
      minibar::pg::Entry &e = *p;
      if (!e.conn) continue;
      n++;
      e.invalid = true;
      minibar::pg::drop_idle(e);
    }
    PG_RETURN_INT32(n);
  });
}
