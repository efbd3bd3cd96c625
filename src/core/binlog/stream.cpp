#include "core/binlog/stream.hpp"

#include <cstring>

#include "core/error.hpp"
#include "core/mysql/setup.hpp"
// After mysql.h (from core/mysql/setup.hpp), which it needs.
#include <mariadb_rpl.h>

namespace minibar {

struct BinlogStream::Impl {
  MYSQL *m = nullptr;
  MARIADB_RPL *rpl = nullptr;
  MARIADB_RPL_EVENT *event = nullptr;
  std::string label;

  ~Impl() {
    if (event) mariadb_free_rpl_event(event);
    if (rpl) mariadb_rpl_close(rpl);
    if (m) mysql_close(m);
  }

  [[noreturn]] void fail(const std::string &what) {
    unsigned int e = m ? mysql_errno(m) : 0;
    std::string msg = label + ": " + what;
    if (e) msg += ": MySQL error " + std::to_string(e) + ": " + mysql_error(m);
    const char *state = e ? mysql_errno_sqlstate(e) : "08006";
    if (e == 2013 || e == 2006 || e == 5021 || e == 0) state = "08006";
    throw Error(state, msg);
  }

  void run(const std::string &sql) {
    if (mysql_real_query(m, sql.data(), sql.size())) fail("\"" + sql + "\" failed");
    if (MYSQL_RES *res = mysql_store_result(m)) mysql_free_result(res);
  }
};

BinlogStream::BinlogStream(const MysqlOptions &options, const BinlogPosition &from,
                           uint32_t server_id, int heartbeat_ms)
    : impl_(std::make_unique<Impl>()) {
  Impl &s = *impl_;
  s.label = options.label;
  s.m = mysql_init(nullptr);
  if (!s.m) throw std::bad_alloc();
  mysql_apply_options(s.m, options, false);
  int silence_ms = heartbeat_ms * 3 > 5000 ? heartbeat_ms * 3 : 5000;
  unsigned int read_timeout = static_cast<unsigned int>((silence_ms + 999) / 1000);
  mysql_options(s.m, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  unsigned int write_timeout = 30;
  mysql_options(s.m, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  const char *host = options.socket.empty() ? options.host.c_str() : "localhost";
  if (!mysql_real_connect(s.m, host, options.username.c_str(), options.password.c_str(), nullptr,
                          static_cast<unsigned int>(options.port),
                          options.socket.empty() ? nullptr : options.socket.c_str(), 0)) {
    unsigned int e = mysql_errno(s.m);
    throw Error(mysql_errno_sqlstate(e), options.label +
                                             ": could not connect to MySQL for the binlog: " +
                                             std::to_string(e) + " " + mysql_error(s.m));
  }
  if (options.ssl_mode != SslMode::Disable && !mysql_get_ssl_cipher(s.m))
    throw Error("08001",
                options.label + ": the MySQL server did not agree to TLS, which ssl_mode requires");
  // Events as the source checksums them; MariaDB-style GTID events; heartbeats.
  s.run("SET @master_binlog_checksum = @@global.binlog_checksum");
  s.run("SET @mariadb_slave_capability = 4");
  s.run("SET @master_heartbeat_period = " +
        std::to_string(static_cast<int64_t>(heartbeat_ms) * 1000000));
  s.rpl = mariadb_rpl_init(s.m);
  if (!s.rpl) s.fail("the replication API could not start");
  mariadb_rpl_optionsv(s.rpl, MARIADB_RPL_SERVER_ID, static_cast<unsigned int>(server_id));
  mariadb_rpl_optionsv(s.rpl, MARIADB_RPL_FILENAME, from.file.c_str(), from.file.size());
  mariadb_rpl_optionsv(s.rpl, MARIADB_RPL_START, static_cast<unsigned long>(from.pos));
  mariadb_rpl_optionsv(s.rpl, MARIADB_RPL_FLAGS, 0u);
  if (mariadb_rpl_open(s.rpl))
    s.fail("the binlog dump from " + from.file + ":" + std::to_string(from.pos) + " was refused");
}

BinlogStream::~BinlogStream() = default;

std::string_view BinlogStream::next() {
  Impl &s = *impl_;
  // A fresh event each time: Connector/C frees a reused event itself when it
  // meets an event type it does not know.
  if (s.event) {
    mariadb_free_rpl_event(s.event);
    s.event = nullptr;
  }
  MARIADB_RPL_EVENT *ev = mariadb_rpl_fetch(s.rpl, nullptr);
  if (!ev)
    s.fail(mysql_errno(s.m) ? "the binlog stream failed" : "the source ended the binlog stream");
  s.event = ev;
  if (!ev->raw_data || ev->raw_data_size < 1) s.fail("the binlog stream returned an empty event");
  // raw_data starts with the packet's OK byte.
  return std::string_view(reinterpret_cast<const char *>(ev->raw_data) + 1, ev->raw_data_size - 1);
}

}  // namespace minibar
