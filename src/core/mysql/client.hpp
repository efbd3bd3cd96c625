// A MySQL/MariaDB client on MariaDB Connector/C, with no PostgreSQL in sight.
// Every network wait goes through one poll loop that asks
// Options::interrupt_requested every 100 ms; when it says yes, the running
// query is stopped on the server with KILL QUERY sent over a second
// connection, and MysqlInterrupted (SQLSTATE 57014) is thrown once the server
// has answered. libmariadb types stay in core/mysql/client.cpp (mysql.h clashes with
// PostgreSQL's headers).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/mysql/value.hpp"
#include "core/value.hpp"

namespace minibar {

class MysqlInterrupted : public Error {
 public:
  explicit MysqlInterrupted(const std::string &message)
      : Error(sqlstate::kQueryCanceled, message) {}
};

enum class SslMode { Disable, Require, VerifyFull };

struct MysqlOptions {
  std::string label;  // how messages name the source, e.g. server "legacy"
  std::string host = "127.0.0.1";
  int port = 3306;
  std::string socket;  // Unix socket path; when set, host and port are unused
  std::string dbname;
  std::string username;
  std::string password;
  SslMode ssl_mode = SslMode::Disable;
  std::string ssl_ca, ssl_cert, ssl_key;
  int connect_timeout = 10;  // seconds
  // Only password-based authentication plugins (never unix_socket/PAM, which
  // would log in as the PostgreSQL server's own OS identity).
  bool password_auth_only = false;
  std::function<bool()> interrupt_requested;
};

// SQLSTATE for a MySQL client/server error number.
const char *mysql_errno_sqlstate(unsigned int errnum);

// True for errors after which the connection is unusable (gone away, lost).
bool mysql_errno_breaks_connection(unsigned int errnum);

struct MysqlColumn {
  std::string name;
  MyType type = MyType::String;
  uint32_t length = 0;  // declared length (BIT: bits)
  bool is_unsigned = false;
};

using MysqlRow = std::vector<std::optional<std::string>>;

class MysqlStatement;

class MysqlConnection {
 public:
  // Connects and sets the session up: utf8mb4, time_zone '+00:00', a strict
  // sql_mode without ANSI_QUOTES, long net timeouts. Throws Error (08001,
  // 28000, 3D000 ...) naming options.label, never the password.
  static std::unique_ptr<MysqlConnection> connect(const MysqlOptions &options);
  ~MysqlConnection();
  MysqlConnection(const MysqlConnection &) = delete;
  MysqlConnection &operator=(const MysqlConnection &) = delete;

  const MysqlOptions &options() const;
  uint64_t thread_id() const;
  std::string server_version() const;
  // The TLS cipher in use, "" for a plain-text connection.
  std::string tls_cipher() const;
  // A connection-level failure happened: discard the connection.
  bool broken() const;
  // A streaming statement holds the connection.
  bool busy() const;
  // Round trip to the server; false (and broken()) when it is gone.
  bool ping();

  // Runs a statement with a small result (catalog queries), text protocol.
  std::vector<MysqlRow> query(const std::string &sql);
  // Runs a statement without a result set.
  void execute(const std::string &sql);
  // 'text' quoted and escaped for this connection's character set.
  std::string quote_literal(const std::string &text);

  // Stops the statement running on this connection: KILL QUERY over a second
  // connection. Throws Error when that connection cannot be made.
  void kill_query();

  // Where a remote error is reported: "MySQL error 1146: ...".
  [[noreturn]] void fail(const std::string &context);

  // KILL QUERY thread_id over a new short-lived connection made with options.
  static void kill_query_of(const MysqlOptions &options, uint64_t thread_id);

  struct Impl;  // opaque: holds the libmariadb handle

 private:
  friend class MysqlStatement;
  explicit MysqlConnection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A prepared statement whose rows stream over the binary protocol (nothing is
// buffered beyond the current row). Destroying it before the last row stops
// the remote query (KILL QUERY) and discards what is in flight.
class MysqlStatement {
 public:
  // fetch_size > 0: read through a server-side cursor, that many rows per
  // round trip (the server materializes the result first); 0: stream.
  MysqlStatement(MysqlConnection &conn, const std::string &sql, int fetch_size = 0);
  ~MysqlStatement();
  MysqlStatement(const MysqlStatement &) = delete;
  MysqlStatement &operator=(const MysqlStatement &) = delete;

  int param_count() const;
  // Runs the statement with these parameter values (one per '?').
  void execute(const std::vector<SqlValue> &params);
  const std::vector<MysqlColumn> &columns() const;
  // Next row; false after the last one.
  bool fetch();
  // The current row's value of column i; valid until the next fetch().
  const MyCell &cell(size_t i) const;
  // Ends the current result early (stops the remote query if rows remain).
  void finish();
  const std::string &sql() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minibar
